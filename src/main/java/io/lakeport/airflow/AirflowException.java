package io.lakeport.airflow;

import static java.util.Objects.requireNonNull;

import io.lakeport.failure.Classified;
import io.lakeport.failure.ExitCode;

/**
 * Airflow did not do what was asked: it is unreachable, refused the credentials, has no such DAG or
 * run, or already has a run with the requested id. The message says which, with Airflow's own
 * detail, and never holds the password or token.
 */
public final class AirflowException extends RuntimeException implements Classified {
  private static final long serialVersionUID = 1L;
  private final Kind kind;

  /**
   * What went wrong, for the exit code: a duplicate run id is the caller's to fix, the rest is
   * outside Lakeport.
   */
  public enum Kind {
    /** A run with that id exists already (HTTP 409). */
    CONFLICT,
    /** No such DAG or run (HTTP 404). */
    NOT_FOUND,
    /** Airflow could not be reached, refused the credentials, or failed. */
    FAILED
  }

  AirflowException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = requireNonNull(kind, "kind is null");
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.EXTERNAL;
  }
}
