package io.lakeport.cli;

import io.lakeport.airflow.AirflowException;
import io.lakeport.config.JobConfigException;
import io.lakeport.history.HistoryException;
import io.lakeport.run.RunException;
import java.io.IOException;
import java.io.PrintWriter;
import org.apache.spark.SparkException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to exit codes and messages: config problems (2) print each problem and no stack
 * trace; storage, Spark and run history failures (3) print what failed and why; anything else is a
 * bug (1) and prints the stack trace to report.
 */
final class Failures implements IExecutionExceptionHandler {
  static final int USER = 2;
  static final int EXTERNAL = 3;
  static final int BUG = 1;
  /** {@code verify} found an export that differs from its manifest. */
  static final int DIFFERENT = 4;

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    int code = exitCode(e);
    if (e instanceof JobConfigException config) {
      config.problems().forEach(p -> err.println(p.message()));
    } else if (code == USER) {
      err.println(e.getMessage());
    } else if (code == EXTERNAL) {
      err.println("error: " + e.getMessage());
      for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
        err.println("  caused by: " + firstLine(cause));
      }
    } else {
      err.println("Lakeport failed unexpectedly; this is a bug. Please report it with this trace:");
      e.printStackTrace(err);
    }
    return code;
  }

  /** The exit code a failure ends the command with (and that the run history records for a run). */
  static int exitCode(Throwable e) {
    if (e instanceof JobConfigException || e instanceof UserException) {
      return USER;
    }
    if (e instanceof RunException || e instanceof HistoryException || e instanceof AirflowException || isExternal(e)) {
      return EXTERNAL;
    }
    return BUG;
  }

  /**
   * A failure in a few lines, for the run history: the message (and for failures outside
   * Lakeport the deepest cause's first line), or for a bug the exception's class and message.
   */
  static String summary(Throwable e) {
    String message = String.valueOf(e.getMessage());
    return switch (exitCode(e)) {
      case USER -> message;
      case EXTERNAL -> {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        yield root == e ? message : message + "\ncaused by: " + firstLine(root);
      }
      default -> firstLine(e);
    };
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
