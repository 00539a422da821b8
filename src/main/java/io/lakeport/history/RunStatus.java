package io.lakeport.history;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where a run is: waiting, running, or one of the ways it ended. */
public enum RunStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  SKIPPED,
  CANCELLED,
  INTERRUPTED,
  /**
   * Its process ended without recording how the run ended (SIGKILL, out of memory, a machine that
   * stopped), found by the next command or scheduler pass on that machine.
   */
  LOST;

  /** How the history and the CLI spell it: {@code succeeded}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the run has ended (it will not change again unless it is retried). */
  public boolean ended() {
    return switch (this) {
      case QUEUED, RUNNING -> false;
      case SUCCEEDED, FAILED, SKIPPED, CANCELLED, INTERRUPTED, LOST -> true;
    };
  }

  /**
   * Whether the run ended without doing what it was asked: stats, metrics and the page count it as
   * failed.
   */
  public boolean failed() {
    return switch (this) {
      case FAILED, INTERRUPTED, LOST -> true;
      case QUEUED, RUNNING, SUCCEEDED, SKIPPED, CANCELLED -> false;
    };
  }

  public static Optional<RunStatus> of(String text) {
    return Arrays.stream(values()).filter(s -> s.text().equals(text)).findFirst();
  }

  public static List<String> texts() {
    return Arrays.stream(values()).map(RunStatus::text).toList();
  }
}
