package io.lakeport.source;

import io.lakeport.failure.Classified;
import io.lakeport.failure.ExitCode;

/**
 * The source's system did not answer (a database that refused or timed out the connection): a
 * failure outside Lakeport, not a mistake in the job, so the run ends with exit code 3 and a
 * scheduler retries it.
 */
public final class SourceUnreachableException extends RuntimeException implements Classified {
  private static final long serialVersionUID = 1L;

  SourceUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.EXTERNAL;
  }
}
