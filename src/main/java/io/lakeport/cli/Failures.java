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
 * stack trace; storage, Spark and run history failures (3) print in one line what failed, on which
 * path, and the root cause in words; anything else is a bug (1) and prints the stack trace to
 * report. With {@code --verbose}, mistakes and failures outside Lakeport print their trace too.
 */
final class Failures implements IExecutionExceptionHandler {
  /** Whether a mistake or a failure outside Lakeport shows its stack trace. */
  enum Detail {
    /** The message alone: what a user acts on. */
    BRIEF,
    /** The message, then the whole stack trace ({@code --verbose}). */
    VERBOSE
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    int code = ExitCode.of(e).code();
    Detail detail =
        commandLine.getCommandSpec().root().userObject() instanceof Lakeport lakeport
            ? lakeport.detail()
            : Detail.BRIEF;
    print(commandLine.getErr(), e, code, detail);
    return code;
  }

  /**
   * Prints a failure as its exit code says: problems, a message, what failed and why, or a bug's
   * trace; with {@link Detail#VERBOSE} every failure's trace follows.
   */
  static void print(PrintWriter err, Throwable e, int code, Detail detail) {
    if (e instanceof JobConfigException config) {
      config.problems().forEach(p -> err.println(p.message()));
    } else if (code == ExitCode.USER.code()) {
      err.println(e.getMessage());
    } else if (code == ExitCode.EXTERNAL.code()) {
      err.println("error: " + FailureText.headline(e));
      if (detail == Detail.BRIEF && e.getCause() != null) {
        err.println("  (lakeport --verbose prints the whole trace)");
      }
    } else {
      err.println("Lakeport failed unexpectedly; this is a bug. Please report it with this trace:");
      e.printStackTrace(err);
      detail = Detail.BRIEF;
    }
    if (detail == Detail.VERBOSE) {
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
