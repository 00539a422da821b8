package io.lakeport.run;

import io.lakeport.failure.Classified;
import io.lakeport.failure.ExitCode;

/**
 * A run failed because of something outside the job file: storage, Spark, or an export that does
 * not add up. The CLI exits with code 3.
 */
public final class RunException extends RuntimeException implements Classified {
  private static final long serialVersionUID = 1L;

  RunException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Cannot {@code action} for job {@code job} (run {@code runId}): reason. */
  static RunException cannot(
      String action, String job, String runId, String reason, Throwable cause) {
    return new RunException(
        "Cannot " + action + " for job " + job + " (run " + runId + "): " + reason, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.EXTERNAL;
  }
}
