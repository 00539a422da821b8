package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** A run waiting in the queue, and the time before which it must not start (a retry's backoff). */
public record QueuedRun(Run run, Optional<Instant> notBefore) {
  public QueuedRun {
    requireNonNull(run, "run is null");
    requireNonNull(notBefore, "notBefore is null");
  }

  /** Whether the run may start at {@code now}. */
  public boolean due(Instant now) {
    return notBefore.map(time -> !now.isBefore(time)).orElse(true);
  }
}
