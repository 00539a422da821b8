package io.lakeport.cli;

import io.lakeport.config.JobConfigException;
import io.lakeport.failure.Classified;
import io.lakeport.failure.ExitCode;
import io.lakeport.failure.FailureText;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints failures as their {@link ExitCode} says: config problems (2) print each problem and no
 * stack trace; storage, Spark and run history failures (3) print what failed and why; anything else
 * is a bug (1) and prints the stack trace to report.
 */
final class Failures implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    int code = ExitCode.of(e).code();
    print(commandLine.getErr(), e, code);
    return code;
  }

  /**
   * Prints a failure as its exit code says: problems, a message, a message and its causes, or a
   * bug's trace.
   */
  static void print(PrintWriter err, Throwable e, int code) {
    if (e instanceof JobConfigException config) {
      config.problems().forEach(p -> err.println(p.message()));
    } else if (code == ExitCode.USER.code()) {
      err.println(e.getMessage());
    } else if (code == ExitCode.EXTERNAL.code()) {
      err.println("error: " + e.getMessage());
      for (Throwable cause = e.getCause();
          cause != null && cause != cause.getCause();
          cause = cause.getCause()) {
        err.println("  caused by: " + FailureText.firstLine(cause));
      }
    } else {
      err.println("Lakeport failed unexpectedly; this is a bug. Please report it with this trace:");
      e.printStackTrace(err);
    }
    err.flush();
  }

  /** A mistake in how a command was called (not in a job file). Exit code 2. */
  static final class UserException extends RuntimeException implements Classified {
    private static final long serialVersionUID = 1L;

    UserException(String message) {
      super(message);
    }

    @Override
    public ExitCode exitCode() {
      return ExitCode.USER;
    }
  }
}
