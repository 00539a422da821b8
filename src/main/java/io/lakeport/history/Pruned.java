package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * The runs that pruning deleted (or, for a dry run, would delete): those that ended before {@code
 * before}, by job in name order, the attempts and notification deliveries that went with them, and
 * the log files the runs recorded (in name order; {@link RunLogFiles#delete} removes them).
 */
public record Pruned(
    Instant before, List<JobRuns> byJob, long attempts, long notifications, List<String> logFiles) {
  public Pruned {
    requireNonNull(before, "before is null");
    byJob = List.copyOf(byJob);
    logFiles = List.copyOf(logFiles);
  }

  /** The runs in all. */
  public long runs() {
    return byJob.stream().mapToLong(JobRuns::runs).sum();
  }

  /** How many runs of {@code job}. */
  public record JobRuns(String job, long runs) {
    public JobRuns {
      requireNonNull(job, "job is null");
    }
  }
}
