package io.lakeport.schedule;

import io.lakeport.config.ScheduleSpec;

/** The status a job file sets with {@code enabled}; nothing switched at runtime. */
final class FileScheduleState implements ScheduleState {
  @Override
  public ScheduleSpec.Status status(Schedule schedule) {
    return schedule.spec().status();
  }
}
