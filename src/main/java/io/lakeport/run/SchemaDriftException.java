package io.lakeport.run;

import static java.util.Objects.requireNonNull;

import io.lakeport.failure.Classified;
import io.lakeport.failure.ExitCode;
import io.lakeport.manifest.SchemaDrift;

/**
 * A run that published nothing because its output schema changed in a way the job's {@code
 * schema-drift} policy refuses; the previous export is untouched. Exit code 5: a decision, never
 * retried. Carries every change, for the run history and the {@code schema-changed} notification.
 */
public final class SchemaDriftException extends RuntimeException implements Classified {
  private static final long serialVersionUID = 1L;

  private final transient SchemaDrift drift;

  SchemaDriftException(String job, String runId, SchemaDrift drift) {
    super(message(job, runId, drift));
    this.drift = requireNonNull(drift, "drift is null");
  }

  /** The changes, each with its action; at least one is {@code fail}. */
  public SchemaDrift drift() {
    return drift;
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.REFUSED;
  }

  private static String message(String job, String runId, SchemaDrift drift) {
    String refused =
        drift.withAction(SchemaDrift.FAIL).stream()
            .map(SchemaDrift.Change::describe)
            .reduce((a, b) -> a + "; " + b)
            .orElse("");
    String kinds =
        drift.withAction(SchemaDrift.FAIL).stream()
            .map(c -> SchemaDrifts.policyKey(c.kind()) + " = warn")
            .distinct()
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    return "Cannot publish the export for job "
        + job
        + " (run "
        + runId
        + "): its output schema changed since "
        + drift.comparedWith()
        + " and the job's schema-drift policy refuses "
        + refused
        + ". Nothing was published; the previous export is kept. If the change is intended, let"
        + " readers know and set schema-drift { "
        + kinds
        + " } (or allow) in the job file for this run; otherwise change the job back."
        + (drift.changes().size() > drift.withAction(SchemaDrift.FAIL).size()
            ? " All changes: " + drift.describe() + "."
            : "");
  }
}
