package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Export leases in the database, for {@link ExportLeaseLedger}: taking a free lease, taking over
 * one whose holder is gone (compare-and-set on its run and heartbeat, so of two runs only one wins)
 * and recording that holder's run lost, renewing and releasing.
 */
final class ExportLeases {
  static final String COLUMNS = "export_root, job, run_id, host, pid, acquired_at, heartbeat_at";

  private ExportLeases() {}

  /**
   * Takes the lease for {@code wanted} when it is free, already its own, or held by a run that is
   * gone; returns the live holder otherwise.
   */
  static Optional<ExportLeaseRecord> take(
      Connection c, ExportLeaseRecord wanted, Worker here, Duration ttl) throws SQLException {
    Optional<ExportLeaseRecord> held = holder(c, wanted.exportRoot());
    if (held.isEmpty()) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO export_leases (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        bindAll(insert, wanted).executeUpdate();
      }
      return Optional.empty();
    }
    ExportLeaseRecord holder = held.get();
    if (holder.runId().equals(wanted.runId())) {
      return Optional.empty();
    }
    Optional<String> gone = gone(holder, here, wanted.acquiredAt(), ttl);
    if (gone.isEmpty()) {
      return held;
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE export_leases SET job = ?, run_id = ?, host = ?, pid = ?, acquired_at = ?,"
                + " heartbeat_at = ? WHERE export_root = ? AND run_id = ? AND heartbeat_at = ?")) {
      if (bind(
                  update,
                  wanted.job(),
                  wanted.runId(),
                  wanted.worker().host(),
                  wanted.worker().pid(),
                  wanted.acquiredAt(),
                  wanted.heartbeatAt(),
                  wanted.exportRoot(),
                  holder.runId(),
                  holder.heartbeatAt())
              .executeUpdate()
          == 0) {
        // another run took it over first
        return holder(c, wanted.exportRoot()).or(() -> held);
      }
    }
    LostRuns.markLost(
        c,
        holder.runId(),
        wanted.acquiredAt(),
        "lost: it held the lease of "
            + wanted.exportRoot()
            + " and "
            + gone.get()
            + "; run "
            + wanted.runId()
            + " (pid "
            + wanted.worker().pid()
            + " on "
            + wanted.worker().host()
            + ") took the lease over at "
            + Rows.stored(wanted.acquiredAt()));
    return Optional.empty();
  }

  /**
   * Why the holder is gone, or empty while it may still run: on this host its process has ended; on
   * any host its heartbeat is older than {@code ttl}.
   */
  private static Optional<String> gone(
      ExportLeaseRecord holder, Worker here, Instant now, Duration ttl) {
    if (holder.worker().host().equals(here.host())
        && !LostRuns.alive(holder.worker().pid(), holder.acquiredAt())) {
      return Optional.of(
          "its process (pid " + holder.worker().pid() + " on " + here.host() + ") has ended");
    }
    if (holder.heartbeatAt().isBefore(now.minus(ttl))) {
      return Optional.of(
          "its process (pid "
              + holder.worker().pid()
              + " on "
              + holder.worker().host()
              + ") sent no heartbeat since "
              + Rows.stored(holder.heartbeatAt())
              + " (lock-ttl "
              + ttl
              + ")");
    }
    return Optional.empty();
  }

  static Optional<ExportLeaseRecord> holder(Connection c, String exportRoot) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM export_leases WHERE export_root = ?")) {
      return Rows.first(bind(select, exportRoot), Rows::exportLease);
    }
  }

  private static PreparedStatement bindAll(PreparedStatement statement, ExportLeaseRecord lease)
      throws SQLException {
    return bind(
        statement,
        lease.exportRoot(),
        lease.job(),
        lease.runId(),
        lease.worker().host(),
        lease.worker().pid(),
        lease.acquiredAt(),
        lease.heartbeatAt());
  }
}
