package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** A job the scheduler runs: its schedule and the job file a launch runs. */
public record ScheduledJob(Schedule schedule, Path file) {
  public ScheduledJob {
    requireNonNull(schedule, "schedule is null");
    requireNonNull(file, "file is null");
  }

  public String job() {
    return schedule.job();
  }
}
