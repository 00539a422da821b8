package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * What the scheduler runs: a job's export, or its retention ({@code <job>.retention} in the
 * history), by a schedule, from the job file.
 */
public record ScheduledJob(Schedule schedule, Path file, Kind kind) {
  public ScheduledJob {
    requireNonNull(schedule, "schedule is null");
    requireNonNull(file, "file is null");
    requireNonNull(kind, "kind is null");
  }

  /** A job's export. */
  public ScheduledJob(Schedule schedule, Path file) {
    this(schedule, file, Kind.EXPORT);
  }

  /** What a launch of the job runs: {@code lakeport run} or {@code lakeport retention apply}. */
  public enum Kind {
    EXPORT,
    RETENTION
  }

  public String job() {
    return schedule.job();
  }
}
