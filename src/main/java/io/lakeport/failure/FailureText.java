package io.lakeport.failure;

/**
 * A failure in a few lines, the same in the run history, the notifications and a launcher's
 * outcome: for a mistake the message; for a failure outside Lakeport the message and the deepest
 * cause's first line; for a bug the exception's class and its message's first line.
 */
public final class FailureText {
  private FailureText() {}

  /** The failure summed up as its exit code says ({@link ExitCode#of}). */
  public static String summary(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return switch (ExitCode.of(failure)) {
      case USER -> message;
      case EXTERNAL -> {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        yield root == failure ? message : message + "\ncaused by: " + firstLine(root);
      }
      default -> firstLine(failure);
    };
  }

  /**
   * The first line of the failure's message, or its class when it has none: what a launcher shows
   * of a failed run.
   */
  public static String firstLineOf(Throwable t) {
    return String.valueOf(t.getMessage()).lines().findFirst().orElse(t.getClass().getSimpleName());
  }

  /** The exception's class and the first line of its message. */
  public static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage());
    return t.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
  }
}
