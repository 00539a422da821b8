package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import io.lakeport.config.EventType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The alerts the scheduler raised, as the run history keeps them: opened once per job, kind and
 * window (a second opening of the same is refused by the database, so two schedulers on one history
 * raise it once), cleared by a good run, with the tries of their notifications. Obtained from
 * {@link HistoryStore#alerts()}.
 */
public final class AlertLog {
  private static final String COLUMNS =
      "job, kind, window_key, run_id, logical_date, opened_at, detail, cleared_at, cleared_by";
  private static final String KEY = "job = ? AND kind = ? AND window_key = ?";

  private final HistoryDatabase database;
  private final Clock clock;

  AlertLog(HistoryDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Opens the alert; false when the job already has one of its kind for its window (open or
   * cleared): each is raised once.
   */
  public boolean open(Alert alert) {
    return database.transaction(
        "record the " + alert.kind().text() + " alert of job " + alert.job(),
        c -> {
          if (find(c, alert).isPresent()) {
            return false;
          }
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO alerts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(
                    insert,
                    alert.job(),
                    alert.kind().text(),
                    alert.window(),
                    alert.runId().orElse(null),
                    alert.logicalDate().orElse(null),
                    Rows.stored(alert.openedAt()),
                    RunOutcome.summary(alert.detail()),
                    null,
                    null)
                .executeUpdate();
            return true;
          }
        },
        false);
  }

  /** Clears the open alert, naming the good run that cleared it; false if it was not open. */
  public boolean clear(Alert alert, String runId) {
    return database.transaction(
        "clear the " + alert.kind().text() + " alert of job " + alert.job(),
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE alerts SET cleared_at = ?, cleared_by = ? WHERE "
                      + KEY
                      + " AND cleared_at IS NULL")) {
            return bind(
                        update,
                        Rows.stored(clock.instant()),
                        runId,
                        alert.job(),
                        alert.kind().text(),
                        alert.window())
                    .executeUpdate()
                == 1;
          }
        });
  }

  /** The open alerts, of one job or of every job, oldest first. */
  public List<Alert> open(Optional<String> job) {
    return database.transaction(
        "read the open alerts",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM alerts WHERE cleared_at IS NULL"
                      + (job.isPresent() ? " AND job = ?" : "")
                      + " ORDER BY opened_at, job, kind, window_key")) {
            return Rows.all(job.isPresent() ? bind(select, job.get()) : select, AlertLog::alert);
          }
        });
  }

  /** The job's alerts, open and cleared, newest first, at most {@code limit}. */
  public List<Alert> alerts(String job, int limit) {
    return database.transaction(
        "read the alerts of job " + job,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM alerts WHERE job = ? ORDER BY opened_at DESC, kind, window_key")) {
            select.setMaxRows(limit);
            return Rows.all(bind(select, job), AlertLog::alert);
          }
        });
  }

  /** The alerts about a run, open and cleared, oldest first. */
  public List<Alert> about(String runId) {
    return database.transaction(
        "read the alerts about run " + runId,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM alerts WHERE run_id = ? ORDER BY opened_at, kind")) {
            return Rows.all(bind(select, runId), AlertLog::alert);
          }
        });
  }

  /** Records one try of a notification about the alert. */
  public void recordNotification(Alert alert, Notification notification) {
    database.transaction(
        "record a notification of the " + alert.kind().text() + " alert of job " + alert.job(),
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO alert_notifications (job, kind, window_key, channel, target,"
                      + " attempt, status, error, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            return bind(
                    insert,
                    alert.job(),
                    alert.kind().text(),
                    alert.window(),
                    notification.channel(),
                    notification.target(),
                    notification.attempt(),
                    notification.delivery().text(),
                    notification.error(),
                    notification.sentAt())
                .executeUpdate();
          }
        });
  }

  /**
   * The tries of notifications about the alert, oldest first (as {@link Notification}s of the run
   * it is about; an alert without a run gives its window).
   */
  public List<Notification> notifications(Alert alert) {
    return database.transaction(
        "read the notifications of the " + alert.kind().text() + " alert of job " + alert.job(),
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT channel, target, attempt, status, error, sent_at FROM"
                      + " alert_notifications WHERE "
                      + KEY
                      + " ORDER BY sent_at, attempt")) {
            return Rows.all(
                bind(select, alert.job(), alert.kind().text(), alert.window()),
                rs -> Rows.notification(alert.runId().orElse(alert.window()), rs));
          }
        });
  }

  /**
   * Of the job's attempts that ended after {@code since}, how many ended, how many failed (an exit
   * code other than 0, and other than 143: stopped or cancelled on purpose), and the newest failed
   * one. Attempts that ended without an exit code (their process was lost) are not counted.
   */
  public Attempts attemptsSince(String job, Instant since) {
    return database.transaction(
        "count the attempts of job " + job,
        c -> {
          String ended =
              " FROM attempts a JOIN runs r ON r.run_id = a.run_id"
                  + " WHERE r.job = ? AND a.finished_at > ? AND a.exit_code IS NOT NULL";
          long count;
          long failed;
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT COUNT(*) AS ended, COALESCE(SUM(CASE WHEN a.exit_code NOT IN (0, 143)"
                      + " THEN 1 ELSE 0 END), 0) AS failed"
                      + ended)) {
            try (ResultSet rs = bind(select, job, Rows.stored(since)).executeQuery()) {
              rs.next();
              count = rs.getLong("ended");
              failed = rs.getLong("failed");
            }
          }
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT a.run_id, a.attempt"
                      + ended
                      + " AND a.exit_code NOT IN (0, 143) ORDER BY a.finished_at DESC, a.run_id")) {
            select.setMaxRows(1);
            Optional<FailedAttempt> newest =
                Rows.first(
                    bind(select, job, Rows.stored(since)),
                    rs -> new FailedAttempt(rs.getString("run_id"), rs.getInt("attempt")));
            return new Attempts(count, failed, newest);
          }
        });
  }

  /** Attempts that ended, those of them that failed, and the newest failed one. */
  public record Attempts(long ended, long failed, Optional<FailedAttempt> newestFailed) {
    /** The failed share, 0 when none ended. */
    public double failedShare() {
      return ended == 0 ? 0 : (double) failed / ended;
    }
  }

  /** One failed attempt of a run. */
  public record FailedAttempt(String runId, int attempt) {}

  private static Optional<Alert> find(java.sql.Connection c, Alert alert) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE " + KEY)) {
      return Rows.first(
          bind(select, alert.job(), alert.kind().text(), alert.window()), AlertLog::alert);
    }
  }

  private static Alert alert(ResultSet rs) throws SQLException {
    return new Alert(
        rs.getString("job"),
        EventType.ofText(rs.getString("kind")),
        rs.getString("window_key"),
        Optional.ofNullable(rs.getString("run_id")),
        Optional.ofNullable(rs.getString("logical_date")),
        Rows.time(rs, "opened_at").orElseThrow(),
        rs.getString("detail"),
        Rows.time(rs, "cleared_at"),
        Optional.ofNullable(rs.getString("cleared_by")));
  }
}
