package io.lakeport.run;

import io.lakeport.config.JobConfigException;
import io.lakeport.history.HistoryException;
import io.lakeport.source.SourceUnreachableException;
import java.io.IOException;
import org.apache.spark.SparkException;

/**
 * How a failed run is classified, the same wherever it ran (the CLI, the Java API, the scheduler's
 * launchers) and so in the run history: a mistake in the job (exit code 2), a failure outside
 * Lakeport such as storage, Spark, an unreachable source database or the run history (3), or a bug
 * (1).
 */
public final class RunFailures {
  public static final int BUG = 1;
  public static final int USER = 2;
  public static final int EXTERNAL = 3;

  private RunFailures() {}

  /** The exit code a run that failed with {@code e} ends with. */
  public static int exitCode(Throwable e) {
    if (e instanceof JobConfigException) {
      return USER;
    }
    if (e instanceof RunException
        || e instanceof HistoryException
        || e instanceof SourceUnreachableException
        || isExternal(e)) {
      return EXTERNAL;
    }
    return BUG;
  }

  /**
   * A failure in a few lines, for the run history: the message (and for failures outside Lakeport
   * the deepest cause's first line), or for a bug the exception's class and message.
   */
  public static String summary(Throwable e, int exitCode) {
    String message = String.valueOf(e.getMessage());
    return switch (exitCode) {
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

  /** The exception's class and the first line of its message. */
  public static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage());
    return t.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
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
}
