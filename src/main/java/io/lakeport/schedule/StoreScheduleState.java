package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.ScheduleSpec;
import io.lakeport.history.HistoryStore;

/**
 * The enabled or disabled override the run history keeps for a job, else its job file's setting.
 */
final class StoreScheduleState implements ScheduleState {
  private final HistoryStore store;

  StoreScheduleState(HistoryStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public ScheduleSpec.Status status(Schedule schedule) {
    return store
        .schedules()
        .enabledOverride(schedule.job())
        .map(enabled -> enabled ? ScheduleSpec.Status.ENABLED : ScheduleSpec.Status.DISABLED)
        .orElse(schedule.spec().status());
  }
}
