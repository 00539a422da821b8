package io.lakeport.cli;

import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Param;
import io.lakeport.config.Secrets;
import io.lakeport.history.HistoryException;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.run.Manifest;
import io.lakeport.run.RunResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Records the runs {@code lakeport run} performs in the run history: queued and running before the
 * export starts, then succeeded, skipped or failed with what it wrote or why it failed. Best
 * effort: a history that cannot be opened or written never stops an export; a warning on stderr
 * says why, once, and the remaining runs go unrecorded.
 */
final class RunRecorder implements AutoCloseable {
  private final PrintWriter err;
  private final Worker worker = Worker.current();
  private Optional<HistoryStore> store;

  private RunRecorder(Optional<HistoryStore> store, PrintWriter err) {
    this.store = store;
    this.err = err;
  }

  static RunRecorder open(HistorySettings settings, Clock clock, PrintWriter err) {
    try {
      return new RunRecorder(Optional.of(HistoryStore.open(settings, clock)), err);
    } catch (HistoryException e) {
      RunRecorder recorder = new RunRecorder(Optional.empty(), err);
      recorder.warn(e);
      return recorder;
    }
  }

  /** The run is queued and starts now. */
  void started(JobSpec job, String runId, Trigger trigger) {
    record(history -> {
      history.enqueue(new RunRequest(runId, job.name(), Optional.empty(), trigger, params(job)));
      history.start(runId, worker);
    });
  }

  void finished(String runId, RunResult result) {
    Manifest.Totals totals = result.manifest().totals();
    record(history -> history.finish(runId, switch (result.status()) {
      case PUBLISHED -> RunOutcome.succeeded(totals.rows(), totals.bytes(), totals.files(), result.manifestPath().orElseThrow());
      case SKIPPED -> RunOutcome.skipped();
    }));
  }

  void failed(String runId, RuntimeException failure) {
    record(history -> history.finish(runId, RunOutcome.failed(Failures.exitCode(failure),
        Secrets.mask(Failures.summary(failure)))));
  }

  private void record(java.util.function.Consumer<HistoryStore> write) {
    if (store.isEmpty()) {
      return;
    }
    try {
      write.accept(store.get());
    } catch (HistoryException e) {
      warn(e);
      close();
      store = Optional.empty();
    }
  }

  /** The run's params as strings, in name order, secret-looking ones masked as in the manifest. */
  private static Map<String, String> params(JobSpec job) {
    Map<String, String> params = new TreeMap<>();
    for (Param p : job.params().values()) {
      params.put(p.name(), Secrets.isSecretName(p.name()) ? Secrets.MASK : String.valueOf(p.value()));
    }
    return params;
  }

  private void warn(HistoryException e) {
    err.println("warning: " + e.getMessage() + ". The export goes on without being recorded in the run history;"
        + " see lakeport.history in the site settings.");
    err.flush();
  }

  @Override
  public void close() {
    store.ifPresent(HistoryStore::close);
  }
}
