package io.lakeport.lifecycle;

import io.lakeport.config.HistorySettings;
import io.lakeport.history.ExportLeaseRecord;
import io.lakeport.history.HistoryException;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Worker;
import io.lakeport.run.LeaseHolder;
import io.lakeport.run.SharedLeases;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Export leases kept in the run history, so that runs on one export are kept apart across every
 * process and host that shares it (a PostgreSQL history on a cluster), on S3 and HDFS too. Best
 * effort like the run records: when the history is down, a run goes on under this host's locks
 * alone, and {@code warnings} hears so once.
 */
final class HistoryLeases implements SharedLeases {
  private final HistorySettings settings;
  private final Clock clock;
  private final Consumer<String> warnings;
  private volatile boolean warned;

  HistoryLeases(HistorySettings settings, Clock clock, Consumer<String> warnings) {
    this.settings = settings;
    this.clock = clock;
    this.warnings = warnings;
  }

  @Override
  public Optional<LeaseHolder> take(String root, LeaseHolder holder) {
    try (HistoryStore history = HistoryStore.open(settings, clock)) {
      return history
          .leases()
          .leaseExport(root, holder.job(), holder.runId(), new Worker(holder.host(), holder.pid()))
          .map(HistoryLeases::holder);
    } catch (HistoryException e) {
      warn(e);
      return Optional.empty();
    }
  }

  @Override
  public boolean renew(String root, String runId) {
    try (HistoryStore history = HistoryStore.open(settings, clock)) {
      return history.leases().renewExportLease(root, runId);
    } catch (HistoryException e) {
      warn(e);
      return true;
    }
  }

  @Override
  public void release(String root, String runId) {
    try (HistoryStore history = HistoryStore.open(settings, clock)) {
      history.leases().releaseExportLease(root, runId);
    } catch (HistoryException e) {
      warn(e);
    }
  }

  /** A third of the lease's time to live, so that two renewals may fail before it expires. */
  @Override
  public Duration renewEvery() {
    return settings.lockTtl().dividedBy(3);
  }

  private static LeaseHolder holder(ExportLeaseRecord lease) {
    return new LeaseHolder(
        lease.job(),
        lease.runId(),
        lease.worker().host(),
        lease.worker().pid(),
        lease.acquiredAt().toString());
  }

  private void warn(HistoryException e) {
    if (!warned) {
      warned = true;
      warnings.accept(
          "warning: "
              + e.getMessage()
              + ". Runs on one export are kept apart by this host's locks only until the run"
              + " history answers again.");
    }
  }
}
