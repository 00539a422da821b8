package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Job locks in the database, for {@link JobLocks}: reading the holder, taking over a stale lock
 * (compare-and-set on its run and heartbeat, so of two schedulers only one succeeds), and
 * interrupting the run a lost lock belonged to.
 */
final class Locks {
  private static final String ACTIVE = "('queued', 'running')";

  private Locks() {}

  /**
   * The lock for {@code wanted}'s run when the current one is already its own or is stale (and is
   * then taken over, its run interrupted); empty when another run holds it with a fresh heartbeat.
   */
  static Optional<Lock> takeOver(Connection c, Lock wanted, Duration ttl) throws SQLException {
    Optional<Lock> held = holder(c, wanted.job());
    if (held.isEmpty()
        || (held.get().runId().equals(wanted.runId())
            && held.get().owner().equals(wanted.owner()))) {
      return held;
    }
    Lock stale = held.get();
    if (!stale.heartbeatAt().isBefore(wanted.acquiredAt().minus(ttl))) {
      return Optional.empty();
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE locks SET run_id = ?, owner = ?, acquired_at = ?,"
                + " heartbeat_at = ? WHERE job = ? AND run_id = ? AND heartbeat_at = ?")) {
      if (bind(
                  update,
                  wanted.runId(),
                  wanted.owner(),
                  wanted.acquiredAt(),
                  wanted.heartbeatAt(),
                  wanted.job(),
                  stale.runId(),
                  stale.heartbeatAt())
              .executeUpdate()
          == 0) {
        return Optional.empty();
      }
    }
    interrupt(
        c,
        stale.runId(),
        wanted.acquiredAt(),
        "its lock went stale (no heartbeat from "
            + stale.owner()
            + " since "
            + stale.heartbeatAt()
            + ", lock-ttl "
            + ttl
            + ") and "
            + wanted.owner()
            + " took it over");
    return Optional.of(wanted);
  }

  /** Who holds the lock of {@code job}, if anyone. */
  static Optional<Lock> holder(Connection c, String job) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + Rows.LOCK_COLUMNS + " FROM locks WHERE job = ?")) {
      return Rows.first(bind(select, job), Rows::lock);
    }
  }

  /** Marks an active run interrupted and ends its open attempt, without an exit code. */
  static void interrupt(Connection c, String runId, Instant now, String reason)
      throws SQLException {
    String error = RunOutcome.summary("interrupted: " + reason);
    try (PreparedStatement run =
        c.prepareStatement(
            "UPDATE runs SET status = 'interrupted', finished_at = ?, error = ?"
                + " WHERE run_id = ? AND status IN "
                + ACTIVE)) {
      if (bind(run, now, error, runId).executeUpdate() == 1) {
        RunLog.counted(c, runId);
      }
    }
    try (PreparedStatement attempt =
        c.prepareStatement(
            "UPDATE attempts SET finished_at = ?, error = ? WHERE run_id = ? AND finished_at IS NULL")) {
      bind(attempt, now, error, runId).executeUpdate();
    }
  }
}
