package io.lakeport.history;

import io.lakeport.failure.Classified;
import io.lakeport.failure.ExitCode;

/**
 * The run history could not be read or written: the database is unreachable, refuses the
 * credentials, or a run is not where the caller thought. A failure outside Lakeport: the CLI exits
 * with code 3.
 */
public final class HistoryException extends RuntimeException implements Classified {
  private static final long serialVersionUID = 1L;

  HistoryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Cannot {@code action}: {@code reason}. */
  static HistoryException cannot(String action, String reason, Throwable cause) {
    return new HistoryException("Cannot " + action + ": " + reason, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.EXTERNAL;
  }
}
