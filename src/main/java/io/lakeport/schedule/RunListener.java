package io.lakeport.schedule;

import io.lakeport.history.Alert;
import io.lakeport.history.Run;

/**
 * Told by the {@link Scheduler} how its runs end, after the history records it: for notifications.
 * Called on the scheduler's thread, so implementations hand slow work off. A listener that throws
 * is logged and does not stop the scheduler.
 */
public interface RunListener {
  /** A listener that does nothing. */
  RunListener NONE = new RunListener() {};

  /**
   * A run ended as {@code run} says; {@code retried} tells whether it was queued again for another
   * attempt (then this end is not final).
   */
  default void ended(Run run, Retry retried) {}

  /**
   * A queued run was skipped without starting: its slot was missed, or its execution window closed.
   */
  default void skipped(Run run) {}

  /**
   * A queued run was skipped because its upstream jobs ({@code schedule.after}) had not published
   * its window within the job's upstream timeout; the run's error says which.
   */
  default void upstreamLate(Run run) {}

  /** The scheduler opened an alert about a job (see {@link AlertWatch}). */
  default void alerted(Alert alert) {}

  /** Whether an ended run was queued again for another attempt. */
  enum Retry {
    QUEUED,
    NONE
  }
}
