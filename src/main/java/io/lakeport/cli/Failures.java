package io.lakeport.cli;

import io.lakeport.config.JobConfigException;
import io.lakeport.run.RunException;
import java.io.IOException;
import java.io.PrintWriter;
import org.apache.spark.SparkException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to exit codes and messages: config problems (2) print each problem and no stack
 * trace; storage and Spark failures (3) print what failed and why; anything else is a bug (1) and
 * prints the stack trace to report.
 */
final class Failures implements IExecutionExceptionHandler {
  static final int USER = 2;
  static final int EXTERNAL = 3;
  static final int BUG = 1;
  /** {@code verify} found an export that differs from its manifest. */
  static final int DIFFERENT = 4;

  /** The exit code a failure maps to, as {@link #handleExecutionException} returns it. */
  static int exitCode(Throwable e) {
    if (e instanceof JobConfigException || e instanceof UserException) {
      return USER;
    }
    return e instanceof RunException || isExternal(e) ? EXTERNAL : BUG;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof JobConfigException config) {
      config.problems().forEach(p -> err.println(p.message()));
      return USER;
    }
    if (e instanceof UserException user) {
      err.println(user.getMessage());
      return USER;
    }
    if (e instanceof RunException || isExternal(e)) {
      err.println("error: " + e.getMessage());
      for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
        err.println("  caused by: " + firstLine(cause));
      }
      return EXTERNAL;
    }
    err.println("Lakeport failed unexpectedly; this is a bug. Please report it with this trace:");
    e.printStackTrace(err);
    return BUG;
  }

  private static boolean isExternal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkException || t instanceof IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage());
    return t.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
  }

  /** A mistake in how a command was called (not in a job file). Exit code 2. */
  static final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserException(String message) {
      super(message);
    }
  }
}
