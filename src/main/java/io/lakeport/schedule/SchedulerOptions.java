package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import io.lakeport.history.Worker;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How the scheduler runs (from {@code lakeport.scheduler} in the site settings, and the process):
 * at most {@code maxConcurrentRuns} runs at once; {@code owner} names this scheduler on the job
 * locks it takes (a restarted scheduler with the same owner interrupts the runs it lost); {@code
 * worker} is recorded on attempts; {@code random} spreads retry delays (jitter); a slot not queued
 * within {@code missedAfter} of its time was missed and goes through the job's misfire policy; a
 * schedule without a {@code timeout} gets {@code defaultTimeout}.
 */
public record SchedulerOptions(
    int maxConcurrentRuns,
    String owner,
    Worker worker,
    RandomGenerator random,
    Duration missedAfter,
    Duration defaultTimeout) {

  public SchedulerOptions {
    if (maxConcurrentRuns < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentRuns must be at least 1, not " + maxConcurrentRuns);
    }
    requireNonNull(owner, "owner is null");
    requireNonNull(worker, "worker is null");
    requireNonNull(random, "random is null");
    requireNonNull(missedAfter, "missedAfter is null");
    requireNonNull(defaultTimeout, "defaultTimeout is null");
  }
}
