package io.lakeport.failure;

import java.io.IOException;
import org.apache.spark.SparkException;

/**
 * The exit codes of every Lakeport command, and the kind of failure each stands for. The run
 * history records them, the scheduler's retry policy decides by them, and {@code lakeport --help}
 * lists them.
 */
public enum ExitCode {
  /** The command did what it was asked. */
  OK(0),
  /** A bug in Lakeport: the command prints the stack trace to report. */
  BUG(1),
  /** A mistake in a job file or in how a command was called: it fails the same way every time. */
  USER(2),
  /**
   * A failure outside Lakeport: storage, Spark, the network, the run history, or an export that
   * another run is writing. Trying again may pass.
   */
  EXTERNAL(3),
  /** {@code verify} found an export that differs from its manifest. */
  DIFFERENT(4),
  /**
   * The job's own policy refused to publish: the output schema changed in a way its {@code
   * schema-drift} block says {@code fail}. A decision, not a transient failure: a run fails the
   * same way until the job or its data changes, so it is never retried.
   */
  REFUSED(5),
  /** The process was stopped (SIGTERM, Ctrl-C) while a run was going on: 128 + 15. */
  INTERRUPTED(143);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The number the process exits with. */
  public int code() {
    return code;
  }

  /**
   * The exit code a failure ends a command with: a {@link Classified} exception says it itself; a
   * Spark or I/O failure anywhere in the causes is outside Lakeport; anything else is a bug.
   */
  public static ExitCode of(Throwable failure) {
    if (failure instanceof Classified classified) {
      return classified.exitCode();
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SparkException || t instanceof IOException) {
        return EXTERNAL;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return BUG;
  }

  /**
   * The worse of two exit codes, for a command that ran several jobs: a bug (1) is worse than any
   * code Lakeport does not know (a killed driver's), which is worse than a failure outside Lakeport
   * (3), than a refusal by the job's policy (5), than a mistake in a job (2), than success (0).
   */
  public static int worse(int a, int b) {
    return severity(a) >= severity(b) ? a : b;
  }

  private static int severity(int code) {
    if (code == OK.code) {
      return 0;
    }
    if (code == USER.code) {
      return 1;
    }
    if (code == REFUSED.code) {
      return 2;
    }
    if (code == EXTERNAL.code) {
      return 3;
    }
    return code == BUG.code ? 5 : 4;
  }
}
