package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What the scheduler keeps about each job beside its job file: an enabled or disabled override, a
 * pause, and the newest slot the job has a run for. Obtained from {@link HistoryStore#schedules()}.
 */
public final class ScheduleStates {
  private final HistoryDatabase database;
  private final Clock clock;

  ScheduleStates(HistoryDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Enables the job whatever its job file says, until {@link #clearOverride}. */
  public void enable(String job) {
    writeState(job, Optional.of(Boolean.TRUE));
  }

  /** Disables the job whatever its job file says, until {@link #clearOverride}. */
  public void disable(String job) {
    writeState(job, Optional.of(Boolean.FALSE));
  }

  /** Lets the job file decide again whether the job is enabled. */
  public void clearOverride(String job) {
    writeState(job, Optional.empty());
  }

  /** The enabled or disabled override of the job; empty when its job file decides. */
  public Optional<Boolean> enabledOverride(String job) {
    return scheduleState(job).flatMap(ScheduleState::enabled);
  }

  /** Pauses the job's schedule until {@code until}, keeping its enabled override. */
  public void pause(String job, Instant until) {
    Instant now = now();
    database.transaction(
        "pause job " + job,
        c -> {
          upsertState(c, job, now);
          try (PreparedStatement update =
              c.prepareStatement("UPDATE schedule_state SET paused_until = ? WHERE job = ?")) {
            return bind(update, until, job).executeUpdate();
          }
        });
  }

  /** What the history keeps about the job's schedule, if anything. */
  public Optional<ScheduleState> scheduleState(String job) {
    return database.transaction(
        "read the schedule state of job " + job,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT job, enabled, paused_until, updated_at FROM schedule_state WHERE job = ?")) {
            return Rows.first(bind(select, job), Rows::scheduleState);
          }
        });
  }

  /** The newest slot the job has a run for, whatever became of it. */
  public Optional<Instant> lastSlot(String job) {
    return database.transaction(
        "read the last slot of job " + job,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT MAX(slot_time) AS last_slot FROM runs WHERE job = ?")) {
            return Rows.first(bind(select, job), rs -> Rows.time(rs, "last_slot"))
                .flatMap(time -> time);
          }
        });
  }

  private void writeState(String job, Optional<Boolean> enabled) {
    Instant now = now();
    database.transaction(
        "change the schedule state of job " + job,
        c -> {
          upsertState(c, job, now);
          try (PreparedStatement update =
              c.prepareStatement("UPDATE schedule_state SET enabled = ? WHERE job = ?")) {
            return bind(update, enabled, job).executeUpdate();
          }
        });
  }

  /** Makes sure the job has a row, stamped {@code now}. */
  private static void upsertState(Connection c, String job, Instant now) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE schedule_state SET updated_at = ? WHERE job = ?")) {
      if (bind(update, now, job).executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO schedule_state (job, updated_at) VALUES (?, ?)")) {
      bind(insert, job, now).executeUpdate();
    }
  }

  private Instant now() {
    return Rows.stored(clock.instant());
  }
}
