package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the scheduler keeps about a job beside its job file: an enabled or disabled override (empty:
 * the job file decides) and a pause until some time.
 */
public record ScheduleState(
    String job, Optional<Boolean> enabled, Optional<Instant> pausedUntil, Instant updatedAt) {
  public ScheduleState {
    requireNonNull(job, "job is null");
    requireNonNull(enabled, "enabled is null");
    requireNonNull(pausedUntil, "pausedUntil is null");
    requireNonNull(updatedAt, "updatedAt is null");
  }
}
