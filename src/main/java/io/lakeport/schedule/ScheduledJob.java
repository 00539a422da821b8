package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import io.lakeport.schedule.launch.RunKind;
import java.nio.file.Path;

/**
 * What the scheduler runs: a job's export, or its retention ({@code <job>.retention} in the
 * history), by a schedule, from the job file.
 */
public record ScheduledJob(Schedule schedule, Path file, RunKind kind) {
  public ScheduledJob {
    requireNonNull(schedule, "schedule is null");
    requireNonNull(file, "file is null");
    requireNonNull(kind, "kind is null");
  }

  /** A job's export. */
  public ScheduledJob(Schedule schedule, Path file) {
    this(schedule, file, RunKind.EXPORT);
  }

  public String job() {
    return schedule.job();
  }
}
