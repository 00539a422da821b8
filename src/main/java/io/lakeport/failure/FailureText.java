package io.lakeport.failure;

/**
 * A failure in a few lines, the same on the console, in the run history, the notifications and a
 * launcher's outcome: for a mistake the message; for a failure outside Lakeport what failed, on
 * which path, and the root cause in words (never a stack trace); for a bug the exception's class
 * and its message's first line.
 */
public final class FailureText {
  private FailureText() {}

  /** The failure summed up as its exit code says ({@link ExitCode#of}). */
  public static String summary(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return switch (ExitCode.of(failure)) {
      case USER -> message;
      case EXTERNAL -> headline(failure);
      default -> firstLine(failure);
    };
  }

  /**
   * A failure outside Lakeport in one line: what failed, on which path, and the root cause in words
   * ("No space left on device", "Read-only file system", "Access Denied (403)", "not a Parquet
   * file"). Lakeport's own message when it has one (with the root cause added when the message does
   * not say it), else one made from Spark's error and the causes.
   */
  public static String headline(Throwable failure) {
    if (!(failure instanceof Classified)) {
      return RootCause.describe(failure);
    }
    String message = RootCause.withoutTrace(failure.getMessage());
    return RootCause.known(failure)
        .filter(words -> !message.contains(words))
        .map(words -> message + " (" + words + ")")
        .orElse(message);
  }

  /**
   * The first line of the failure's message, or its class when it has none: what a launcher shows
   * of a failed run. A failure outside Lakeport is its {@link #headline}.
   */
  public static String firstLineOf(Throwable t) {
    String text =
        ExitCode.of(t) == ExitCode.EXTERNAL ? headline(t) : String.valueOf(t.getMessage());
    return text.lines().findFirst().orElse(t.getClass().getSimpleName());
  }

  /** The exception's class and the first line of its message. */
  public static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage());
    return t.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
  }
}
