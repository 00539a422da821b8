package io.lakeport.cli;

import io.lakeport.airflow.AirflowException;
import io.lakeport.config.JobConfigException;
import io.lakeport.run.RunFailures;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to exit codes and messages: config problems (2) print each problem and no stack
 * trace; storage, Spark and run history failures (3) print what failed and why; anything else is a
 * bug (1) and prints the stack trace to report.
 */
final class Failures implements IExecutionExceptionHandler {
  static final int USER = RunFailures.USER;
  static final int EXTERNAL = RunFailures.EXTERNAL;
  static final int BUG = RunFailures.BUG;

  /** {@code verify} found an export that differs from its manifest. */
  static final int DIFFERENT = 4;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    int code = exitCode(e);
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
    } else if (code == USER) {
      err.println(e.getMessage());
    } else if (code == EXTERNAL) {
      err.println("error: " + e.getMessage());
      for (Throwable cause = e.getCause();
          cause != null && cause != cause.getCause();
          cause = cause.getCause()) {
        err.println("  caused by: " + RunFailures.firstLine(cause));
      }
    } else {
      err.println("Lakeport failed unexpectedly; this is a bug. Please report it with this trace:");
      e.printStackTrace(err);
    }
    err.flush();
  }

  /**
   * The worse of two exit codes, for a command that ran several jobs: a bug (1) is worse than a
   * failure outside Lakeport (3), which is worse than a mistake in a job (2), which is worse than
   * success (0).
   */
  static int worse(int a, int b) {
    return severity(a) >= severity(b) ? a : b;
  }

  private static int severity(int code) {
    return switch (code) {
      case 0 -> 0;
      case USER -> 1;
      case EXTERNAL -> 2;
      case BUG -> 4;
      default -> 3;
    };
  }

  /** The exit code a failure ends the command with (and that the run history records for a run). */
  static int exitCode(Throwable e) {
    if (e instanceof UserException) {
      return USER;
    }
    return e instanceof AirflowException ? EXTERNAL : RunFailures.exitCode(e);
  }

  /** A failure in a few lines, for the run history ({@link RunFailures#summary}). */
  static String summary(Throwable e) {
    return RunFailures.summary(e, exitCode(e));
  }

  /** A mistake in how a command was called (not in a job file). Exit code 2. */
  static final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserException(String message) {
      super(message);
    }
  }
}
