package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Deletes old runs for {@link RunLog#prune}: runs that ended (succeeded, failed, skipped,
 * cancelled, interrupted, lost) before a time, with their attempts and notification deliveries
 * (watermarks they reached are kept, without the run). Never a queued run (also one waiting for its
 * retry) or a running one, never a run named by a job lock or an export lease, and never a job's
 * run of its newest slot: the scheduler queues a job's slots from there, and the slot's row is what
 * stops it from firing twice. The counts of ended runs ({@link RunTotals}) are left as they are.
 * Alerts cleared {@link #ALERTS_OUTLIVE} before the runs go, with their deliveries; open ones stay.
 */
final class Pruning {
  /** The runs pruning takes, given the time they must have ended before. */
  private static final String PRUNABLE =
      "SELECT run_id FROM runs WHERE status IN ('succeeded', 'failed', 'skipped', 'cancelled',"
          + " 'interrupted', 'lost') AND finished_at < ?"
          + " AND run_id NOT IN (SELECT run_id FROM locks)"
          + " AND run_id NOT IN (SELECT run_id FROM export_leases)"
          + " AND (slot_time IS NULL"
          + " OR slot_time < (SELECT MAX(newest.slot_time) FROM runs newest WHERE newest.job = runs.job))";

  /**
   * How much longer than runs cleared alerts are kept: their rows are what keeps an alert from
   * being raised twice for its window, and the scheduler looks back a day for windows.
   */
  static final Duration ALERTS_OUTLIVE = Duration.ofDays(2);

  private Pruning() {}

  /** What pruning the runs that ended before {@code before} would delete. */
  static Pruned find(Connection c, Instant before) throws SQLException {
    return new Pruned(
        before,
        byJob(c, before),
        count(c, "attempts", before),
        count(c, "notifications", before),
        logFiles(c, before));
  }

  /** Deletes the runs that ended before {@code before}, with their children; says what went. */
  static Pruned delete(Connection c, Instant before) throws SQLException {
    List<Pruned.JobRuns> byJob = byJob(c, before);
    List<String> logFiles = logFiles(c, before);
    long attempts = execute(c, "DELETE FROM attempts WHERE run_id IN (" + PRUNABLE + ")", before);
    long notifications =
        execute(c, "DELETE FROM notifications WHERE run_id IN (" + PRUNABLE + ")", before);
    execute(c, "UPDATE watermarks SET run_id = NULL WHERE run_id IN (" + PRUNABLE + ")", before);
    execute(c, "DELETE FROM runs WHERE run_id IN (" + PRUNABLE + ")", before);
    Instant alertsBefore = before.minus(ALERTS_OUTLIVE);
    execute(
        c,
        "DELETE FROM alert_notifications WHERE EXISTS (SELECT 1 FROM alerts a WHERE a.job ="
            + " alert_notifications.job AND a.kind = alert_notifications.kind AND a.window_key ="
            + " alert_notifications.window_key AND a.cleared_at < ?)",
        alertsBefore);
    execute(c, "DELETE FROM alerts WHERE cleared_at < ?", alertsBefore);
    return new Pruned(before, byJob, attempts, notifications, logFiles);
  }

  private static List<String> logFiles(Connection c, Instant before) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT log_file FROM runs WHERE log_file IS NOT NULL AND run_id IN ("
                + PRUNABLE
                + ") ORDER BY log_file")) {
      return Rows.all(bind(select, before), rs -> rs.getString("log_file"));
    }
  }

  private static List<Pruned.JobRuns> byJob(Connection c, Instant before) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT job, COUNT(*) AS runs FROM runs WHERE run_id IN ("
                + PRUNABLE
                + ") GROUP BY job ORDER BY job")) {
      return Rows.all(
          bind(select, before), rs -> new Pruned.JobRuns(rs.getString("job"), rs.getLong("runs")));
    }
  }

  private static long count(Connection c, String table, Instant before) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT COUNT(*) FROM " + table + " WHERE run_id IN (" + PRUNABLE + ")")) {
      return Rows.first(bind(select, before), rs -> rs.getLong(1)).orElse(0L);
    }
  }

  private static long execute(Connection c, String sql, Instant before) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      return bind(statement, before).executeUpdate();
    }
  }
}
