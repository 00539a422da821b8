package io.lakeport.schedule;

import io.lakeport.config.ScheduleSpec;
import io.lakeport.history.HistoryStore;

/**
 * Whether a job's schedule is switched on now: the job file's {@code enabled} ({@link
 * #fromFiles()}), unless {@code lakeport schedule enable|disable} left an override in the run
 * history ({@link #of(HistoryStore)}).
 */
public interface ScheduleState {
  ScheduleSpec.Status status(Schedule schedule);

  /** The job files' {@code enabled} settings, with no runtime switches. */
  static ScheduleState fromFiles() {
    return new FileScheduleState();
  }

  /** The run history's override of a job (lakeport schedule enable|disable), else its job file. */
  static ScheduleState of(HistoryStore store) {
    return new StoreScheduleState(store);
  }
}
