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
import java.util.function.Consumer;

/**
 * Records the runs {@code lakeport run} performs in the run history: queued and running before the
 * export starts, then succeeded, skipped or failed with what it wrote or why it failed. The history
 * is opened for each record and closed right after, so an embedded H2 file stays free for {@code
 * lakeport history} while exports run. Best effort: a history that cannot be opened or written
 * never stops an export; a warning on stderr says why, once, and the remaining runs go unrecorded.
 */
final class RunRecorder {
  private final HistorySettings settings;
  private final Clock clock;
  private final PrintWriter err;
  private final Worker worker = Worker.current();
  private boolean working = true;

  /** A process ended by SIGTERM exits with 128 + 15. */
  private static final int SIGTERM_EXIT = 143;

  private RunRecorder(HistorySettings settings, Clock clock, PrintWriter err) {
    this.settings = settings;
    this.clock = clock;
    this.err = err;
  }

  /**
   * A recorder whose history has been opened once (tables created or upgraded), or that has warned
   * why not.
   */
  static RunRecorder open(HistorySettings settings, Clock clock, PrintWriter err) {
    RunRecorder recorder = new RunRecorder(settings, clock, err);
    recorder.record(history -> {});
    return recorder;
  }

  /** A recorder that records nothing: for runs whose starter (the scheduler) records them. */
  static RunRecorder disabled() {
    RunRecorder recorder =
        new RunRecorder(null, Clock.systemUTC(), new PrintWriter(java.io.Writer.nullWriter()));
    recorder.working = false;
    return recorder;
  }

  /** The run is queued and starts now. */
  void started(JobSpec job, String runId, Trigger trigger) {
    record(
        history -> {
          history.begin(
              new RunRequest(runId, job.name(), Optional.empty(), trigger, params(job)), worker);
        });
  }

  void finished(String runId, RunResult result) {
    Manifest.Totals totals = result.manifest().totals();
    record(
        history ->
            history.finish(
                runId,
                switch (result.status()) {
                  case PUBLISHED ->
                      RunOutcome.succeeded(
                          totals.rows(),
                          totals.bytes(),
                          totals.files(),
                          result.manifestPath().orElseThrow());
                  case SKIPPED -> RunOutcome.skipped();
                }));
  }

  void failed(String runId, Throwable failure) {
    record(
        history ->
            history.finish(
                runId,
                RunOutcome.failed(
                    Failures.exitCode(failure), Secrets.mask(Failures.summary(failure)))));
  }

  /**
   * Marks {@code runId} as going on until the returned handle is closed: a JVM that stops meanwhile
   * (SIGTERM, Ctrl-C, {@code System.exit}) records the run interrupted from a shutdown hook. A
   * process killed outright is found by the next command that opens the history, which records the
   * run lost.
   */
  Active active(String runId) {
    if (!working) {
      return () -> {};
    }
    Thread hook =
        new Thread(
            () ->
                record(
                    history ->
                        history.finish(
                            runId,
                            RunOutcome.interrupted(
                                SIGTERM_EXIT,
                                "interrupted: the process was stopped (SIGTERM or Ctrl-C) while the run was going on"))),
            "lakeport-record-interrupted-" + runId);
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is stopping: the hook runs
      }
    };
  }

  /** A run going on; closing it says the run has ended. */
  interface Active extends AutoCloseable {
    @Override
    void close();
  }

  private void record(Consumer<HistoryStore> write) {
    if (!working) {
      return;
    }
    try (HistoryStore history = HistoryStore.open(settings, clock)) {
      write.accept(history);
    } catch (HistoryException e) {
      warn(e);
      working = false;
    }
  }

  /** The run's params as strings, in name order, secret-looking ones masked as in the manifest. */
  private static Map<String, String> params(JobSpec job) {
    Map<String, String> params = new TreeMap<>();
    for (Param p : job.params().values()) {
      params.put(
          p.name(), Secrets.isSecretName(p.name()) ? Secrets.MASK : String.valueOf(p.value()));
    }
    return params;
  }

  private void warn(HistoryException e) {
    err.println(
        "warning: "
            + e.getMessage()
            + ". The export goes on without being recorded in the run history;"
            + " see lakeport.history in the site settings.");
    err.flush();
  }
}
