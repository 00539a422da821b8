package io.lakeport.history;

import static io.lakeport.history.Rows.bind;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What runs add up to, read with a few aggregate queries whatever the history's size (for {@code
 * /metrics}): the ended runs counted by job and outcome, with what they wrote and how long they
 * took, which only grow (each end of a run is counted in the transaction that records it, and
 * pruning old runs leaves the counts alone); the runs the history holds now by job and status; and
 * the wait of the oldest queued run that is due. Obtained from {@link HistoryStore#totals()}.
 */
public final class RunTotals {
  /**
   * Upper bounds, in seconds, of the buckets ended runs' durations are counted in: a second to six
   * hours (and above). Fixed: the counts already kept are by these bounds.
   */
  public static final List<Double> DURATION_BUCKETS =
      List.of(1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0, 21600.0);

  private static final String INFINITY = "+Inf";

  private final HistoryDatabase database;

  RunTotals(HistoryDatabase database) {
    this.database = database;
  }

  /** The ended runs counted by job and outcome, in job and outcome order. */
  public List<Finished> finished() {
    return database.transaction("read the counts of ended runs", RunTotals::finished);
  }

  private static List<Finished> finished(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT job, outcome, runs, rows_written, bytes_written, files_written,"
                + " duration_seconds, last_finished_at FROM run_counts ORDER BY job, outcome")) {
      return Rows.all(
          select,
          rs ->
              new Finished(
                  rs.getString("job"),
                  status(rs.getString("outcome")),
                  rs.getLong("runs"),
                  rs.getLong("rows_written"),
                  rs.getLong("bytes_written"),
                  rs.getLong("files_written"),
                  rs.getDouble("duration_seconds"),
                  Rows.time(rs, "last_finished_at")));
    }
  }

  /**
   * The ended runs that started, counted by job and the bucket of {@link #DURATION_BUCKETS} their
   * duration falls in (not cumulative), in job order.
   */
  public List<DurationCount> durations() {
    return database.transaction("read the durations of ended runs", RunTotals::durations);
  }

  private static List<DurationCount> durations(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT job, le, runs FROM run_durations ORDER BY job")) {
      return Rows.all(
          select,
          rs ->
              new DurationCount(
                  rs.getString("job"), upperBound(rs.getString("le")), rs.getLong("runs")));
    }
  }

  /** The runs the history holds now, counted by job and status. */
  public List<StatusCount> byStatus() {
    return database.transaction("count the runs by status", RunTotals::byStatus);
  }

  private static List<StatusCount> byStatus(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT job, status, COUNT(*) AS runs FROM runs GROUP BY job, status")) {
      return Rows.all(
          select,
          rs ->
              new StatusCount(
                  rs.getString("job"), status(rs.getString("status")), rs.getLong("runs")));
    }
  }

  /**
   * When the oldest queued run that may start at {@code now} became due: its slot (or, without one,
   * when it was queued), or the end of its retry's backoff when that is later. Empty when no queued
   * run is due.
   */
  public Optional<Instant> oldestDue(Instant now) {
    return database.transaction("read the oldest due run", c -> oldestDue(c, now));
  }

  private static Optional<Instant> oldestDue(Connection c, Instant now) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT MIN(CASE WHEN not_before IS NOT NULL AND not_before > COALESCE(slot_time,"
                + " queued_at) THEN not_before ELSE COALESCE(slot_time, queued_at) END)"
                + " AS due FROM runs WHERE status = 'queued'"
                + " AND (not_before IS NULL OR not_before <= ?)")) {
      return Rows.first(bind(select, now), rs -> Rows.time(rs, "due")).flatMap(due -> due);
    }
  }

  /**
   * Everything above at once, read in one transaction (one connection, one consistent view): what a
   * scrape of {@code /metrics} reads at {@code now}.
   */
  public Snapshot snapshot(Instant now) {
    return database.transaction(
        "read what runs add up to",
        c -> new Snapshot(finished(c), durations(c), byStatus(c), oldestDue(c, now)));
  }

  /**
   * Counts the end of {@code ended} (as the history now holds it) in the caller's transaction: its
   * job's row for its outcome, and its duration's bucket when it started.
   */
  static void count(Connection c, Run ended) throws SQLException {
    Optional<Double> seconds = ended.duration().map(RunTotals::seconds);
    Instant end = ended.finishedAt().orElseThrow();
    add(
        c,
        "UPDATE run_counts SET runs = runs + 1, rows_written = rows_written + ?,"
            + " bytes_written = bytes_written + ?, files_written = files_written + ?,"
            + " duration_seconds = duration_seconds + ?, last_finished_at = CASE WHEN"
            + " last_finished_at IS NULL OR last_finished_at < ? THEN ? ELSE last_finished_at END"
            + " WHERE job = ? AND outcome = ?",
        new Object[] {
          ended.rows().orElse(0L),
          ended.bytes().orElse(0L),
          ended.files().orElse(0L),
          seconds.orElse(0.0),
          end,
          end,
          ended.job(),
          ended.status().text()
        },
        "INSERT INTO run_counts (job, outcome, runs, rows_written, bytes_written, files_written,"
            + " duration_seconds, last_finished_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?)",
        new Object[] {
          ended.job(),
          ended.status().text(),
          ended.rows().orElse(0L),
          ended.bytes().orElse(0L),
          ended.files().orElse(0L),
          seconds.orElse(0.0),
          end
        });
    if (seconds.isPresent()) {
      String le = bucket(seconds.get());
      add(
          c,
          "UPDATE run_durations SET runs = runs + 1 WHERE job = ? AND le = ?",
          new Object[] {ended.job(), le},
          "INSERT INTO run_durations (job, le, runs) VALUES (?, ?, 1)",
          new Object[] {ended.job(), le});
    }
  }

  /**
   * Adds to a row, or inserts it when there is none; when another transaction inserted it first,
   * adds to that one.
   */
  private static void add(
      Connection c, String update, Object[] updateValues, String insert, Object[] insertValues)
      throws SQLException {
    if (execute(c, update, updateValues) == 1) {
      return;
    }
    Savepoint before = c.setSavepoint();
    try {
      execute(c, insert, insertValues);
      c.releaseSavepoint(before);
    } catch (SQLException e) {
      if (!HistoryDatabase.isConflict(e)) {
        throw e;
      }
      c.rollback(before);
      execute(c, update, updateValues);
    }
  }

  private static int execute(Connection c, String sql, Object[] values) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      return bind(statement, values).executeUpdate();
    }
  }

  /** The bucket's upper bound as the metric and {@code run_durations.le} spell it. */
  static String bucket(double seconds) {
    for (double bound : DURATION_BUCKETS) {
      if (seconds <= bound) {
        return Long.toString((long) bound);
      }
    }
    return INFINITY;
  }

  private static double upperBound(String le) {
    return le.equals(INFINITY) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static RunStatus status(String text) {
    return RunStatus.of(text)
        .orElseThrow(() -> new IllegalStateException("unknown status in the run history: " + text));
  }

  /**
   * The ends of {@code job}'s runs with {@code outcome}: how many, what they wrote, how long they
   * took in all (those that started), and when the newest ended.
   */
  public record Finished(
      String job,
      RunStatus outcome,
      long runs,
      long rows,
      long bytes,
      long files,
      double durationSeconds,
      Optional<Instant> lastFinishedAt) {}

  /**
   * How many ended runs of {@code job} took longer than the bucket below and at most {@code
   * upperBound} seconds.
   */
  public record DurationCount(String job, double upperBound, long runs) {}

  /** The counts of {@link #snapshot}. */
  public record Snapshot(
      List<Finished> finished,
      List<DurationCount> durations,
      List<StatusCount> byStatus,
      Optional<Instant> oldestDue) {
    public Snapshot {
      finished = List.copyOf(finished);
      durations = List.copyOf(durations);
      byStatus = List.copyOf(byStatus);
      requireNonNull(oldestDue, "oldestDue is null");
    }
  }

  /** How many of {@code job}'s runs the history holds in {@code status}. */
  public record StatusCount(String job, RunStatus status, long runs) {}
}
