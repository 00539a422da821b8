package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Cancel requests in the database, for {@link RunLog}: recorded on the run (who asked, when), only
 * for a running run under a scheduler's lock, since only a scheduler can stop it; the first request
 * of a run is kept.
 */
final class CancelRequests {
  private static final String COLUMNS = "run_id, cancel_requested_by, cancel_requested_at";

  private CancelRequests() {}

  /** Records the request, or says why the run cannot be asked to stop. */
  static CancelRequest record(Connection c, String runId, String requestedBy, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE runs SET cancel_requested_at = COALESCE(cancel_requested_at, ?),"
                + " cancel_requested_by = COALESCE(cancel_requested_by, ?) WHERE run_id = ? AND status = 'running'"
                + " AND EXISTS (SELECT 1 FROM locks WHERE locks.run_id = runs.run_id)")) {
      if (bind(update, now, requestedBy, runId).executeUpdate() == 1) {
        return of(c, runId).orElseThrow();
      }
    }
    throw HistoryException.cannot("cancel run " + runId, why(c, runId), null);
  }

  /** The requests to cancel running runs, oldest first. */
  static List<CancelRequest> running(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM runs WHERE status = 'running'"
                + " AND cancel_requested_at IS NOT NULL ORDER BY cancel_requested_at, run_id")) {
      return Rows.all(select, CancelRequests::read);
    }
  }

  static Optional<CancelRequest> of(Connection c, String runId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM runs WHERE run_id = ?"
                + " AND cancel_requested_at IS NOT NULL")) {
      return Rows.first(bind(select, runId), CancelRequests::read);
    }
  }

  private static String why(Connection c, String runId) throws SQLException {
    Optional<Run> run;
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + Rows.RUN_COLUMNS + " FROM runs WHERE run_id = ?")) {
      run = Rows.first(bind(select, runId), Rows::run);
    }
    if (run.isEmpty()) {
      return "no such run in the history";
    }
    if (run.get().status() != RunStatus.RUNNING) {
      return "it is " + run.get().status().text() + ", not running";
    }
    return "no scheduler holds the lock of job "
        + run.get().job()
        + " for it (it runs outside the scheduler,"
        + " in a lakeport run process)";
  }

  private static CancelRequest read(ResultSet rs) throws SQLException {
    return new CancelRequest(
        rs.getString("run_id"),
        rs.getString("cancel_requested_by"),
        Rows.time(rs, "cancel_requested_at").orElseThrow());
  }
}
