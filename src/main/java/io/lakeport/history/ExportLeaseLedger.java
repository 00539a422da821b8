package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import io.lakeport.config.HistorySettings;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The leases of exports kept in the run history, so that runs writing one export are kept apart
 * across every process and host that shares the history: taken, renewed while the run goes on,
 * released, or taken over from a holder that is gone ({@link ExportLeases} holds the SQL). Obtained
 * from {@link HistoryStore#leases()}.
 */
public final class ExportLeaseLedger {
  private final HistoryDatabase database;
  private final HistorySettings settings;
  private final Clock clock;

  ExportLeaseLedger(HistoryDatabase database, HistorySettings settings, Clock clock) {
    this.database = database;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Takes the lease of export {@code exportRoot} for run {@code runId} of {@code job} in process
   * {@code worker}. Returns empty when the run holds it now (it was free, its own, or its holder
   * was gone: a process ended on this host, or a heartbeat older than {@code lock-ttl} on any host,
   * whose run is then recorded lost); else the live run that holds it.
   */
  public Optional<ExportLeaseRecord> leaseExport(
      String exportRoot, String job, String runId, Worker worker) {
    Instant now = Rows.stored(now());
    Worker here = Worker.current();
    ExportLeaseRecord wanted = new ExportLeaseRecord(exportRoot, job, runId, worker, now, now);
    String action = "take the lease of export " + exportRoot;
    Optional<Optional<ExportLeaseRecord>> settled =
        database.transaction(
            action,
            c -> Optional.of(ExportLeases.take(c, wanted, here, settings.lockTtl())),
            Optional.empty());
    // a lost race (two runs inserting at once) is settled by reading who won
    return settled.orElseGet(
        () ->
            database.transaction(
                action, c -> ExportLeases.take(c, wanted, here, settings.lockTtl())));
  }

  /**
   * Renews run {@code runId}'s lease of {@code exportRoot}; false when it no longer holds it (it
   * was taken over).
   */
  public boolean renewExportLease(String exportRoot, String runId) {
    Instant now = now();
    return database.transaction(
        "renew the lease of export " + exportRoot,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE export_leases SET heartbeat_at = ? WHERE export_root = ? AND run_id = ?")) {
            return bind(update, now, exportRoot, runId).executeUpdate() == 1;
          }
        });
  }

  /** Releases run {@code runId}'s lease of {@code exportRoot}, if it still holds it. */
  public void releaseExportLease(String exportRoot, String runId) {
    database.transaction(
        "release the lease of export " + exportRoot,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM export_leases WHERE export_root = ? AND run_id = ?")) {
            return bind(delete, exportRoot, runId).executeUpdate();
          }
        });
  }

  private Instant now() {
    return Rows.stored(clock.instant());
  }
}
