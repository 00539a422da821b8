package io.lakeport.schedule;

import io.lakeport.config.ScheduleSpec;

/**
 * Whether a job's schedule is switched on now. The seam for switching schedules at runtime: the
 * run history store (in progress) will keep such switches and answer from them; until then only the
 * job file's {@code enabled} decides ({@link #fromFiles()}).
 */
public interface ScheduleState {
  ScheduleSpec.Status status(Schedule schedule);

  /** The job files' {@code enabled} settings, with no runtime switches. */
  static ScheduleState fromFiles() {
    return new FileScheduleState();
  }
}
