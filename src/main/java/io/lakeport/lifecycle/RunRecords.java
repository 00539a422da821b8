package io.lakeport.lifecycle;

import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Param;
import io.lakeport.config.Secrets;
import io.lakeport.failure.ExitCode;
import io.lakeport.failure.FailureText;
import io.lakeport.history.HistoryException;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.SchemaDrift;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The run records a process writes for the runs it starts itself: queued and running before a run
 * starts, then how it ended. The history is opened for each record and closed right after, so that
 * the embedded database stays free for other commands while exports run. Best effort: a history
 * that cannot be opened or written never stops a run; {@code warnings} hears why, once, and the
 * remaining records are not written.
 */
public final class RunRecords {
  /** Which records a process writes. */
  private enum Writes {
    /** Every record of its runs: it started them. */
    ALL,
    /** Only the log files and schema drifts of runs its starter (the scheduler) records. */
    LOG_FILES
  }

  /** The longest drift JSON the history keeps (its column's width). */
  private static final int MAX_DRIFT_JSON = 100_000;

  private final Optional<HistorySettings> settings;
  private final Writes writes;
  private final Clock clock;
  private final Consumer<String> warnings;
  private final Worker worker = Worker.current();
  private volatile boolean working;

  private RunRecords(
      Optional<HistorySettings> settings, Writes writes, Clock clock, Consumer<String> warnings) {
    this.settings = settings;
    this.writes = writes;
    this.clock = clock;
    this.warnings = warnings;
    this.working = settings.isPresent();
  }

  /**
   * Records in the history of {@code settings}, opened once now (tables created or upgraded, runs
   * of dead processes recorded lost), or that warned why not.
   */
  public static RunRecords open(HistorySettings settings, Clock clock, Consumer<String> warnings) {
    RunRecords records = new RunRecords(Optional.of(settings), Writes.ALL, clock, warnings);
    records.write(history -> {});
    return records;
  }

  /** Records nothing: for runs whose starter (the scheduler) records them. */
  public static RunRecords none() {
    return new RunRecords(Optional.empty(), Writes.ALL, Clock.systemUTC(), warning -> {});
  }

  /**
   * Records only where runs whose starter (the scheduler) records them write their log files: the
   * scheduler cannot know whether, and where, the process running them writes one.
   */
  public static RunRecords logFilesOnly(
      HistorySettings settings, Clock clock, Consumer<String> warnings) {
    return new RunRecords(Optional.of(settings), Writes.LOG_FILES, clock, warnings);
  }

  /** Run {@code runId} of {@code job} is queued and starts now, with the job's params. */
  public void started(JobSpec job, String runId, Trigger trigger) {
    started(job.name(), runId, trigger, maskedParams(job));
  }

  /** Run {@code runId} of the history job {@code job} is queued and starts now. */
  public void started(String job, String runId, Trigger trigger, Map<String, String> params) {
    writeAll(
        history -> {
          history
              .runLog()
              .begin(new RunRequest(runId, job, Optional.empty(), trigger, params), worker);
        });
  }

  /** Run {@code runId} ended as {@code outcome} says. */
  public void ended(String runId, RunOutcome outcome) {
    writeAll(history -> history.runLog().finish(runId, outcome));
  }

  /** Run {@code runId} writes its log lines to {@code file}. */
  public void logFile(String runId, String file) {
    write(history -> history.runLog().logFile(runId, file));
  }

  /**
   * How run {@code runId}'s output schema differed from the export it followed; recorded by the
   * process that ran it, under a scheduler too. A drift too long for the history keeps its first
   * changes.
   */
  public void schemaDrift(String runId, SchemaDrift drift) {
    String json = drift.toJson();
    for (int keep = drift.changes().size() / 2;
        json.length() > MAX_DRIFT_JSON && keep >= 0;
        keep /= 2) {
      json =
          new SchemaDrift(
                  drift.comparedWith()
                      + " (first "
                      + keep
                      + " of "
                      + drift.changes().size()
                      + " changes; the manifest or log has all)",
                  drift.changes().subList(0, keep))
              .toJson();
      if (keep == 0) {
        break;
      }
    }
    String recorded = json;
    write(history -> history.runLog().schemaDrift(runId, recorded));
  }

  /** What run {@code runId} of a job with several inputs read of each, as its manifest says. */
  public void inputs(String runId, List<Manifest.Input> inputs) {
    String json = Manifest.summaries(inputs);
    write(history -> history.runLog().inputs(runId, json));
  }

  /**
   * The slot run {@code runId} is for, as its starter (the scheduler) recorded it; empty for runs
   * nobody scheduled, or when the history cannot be read.
   */
  public Optional<Instant> slotOf(String runId) {
    AtomicReference<Optional<Instant>> slot = new AtomicReference<>(Optional.empty());
    write(history -> slot.set(history.runLog().run(runId).flatMap(Run::slot)));
    return slot.get();
  }

  /** Run {@code runId} failed with {@code failure}: its exit code and summary, secrets masked. */
  public void failed(String runId, Throwable failure) {
    ended(
        runId,
        RunOutcome.failed(ExitCode.of(failure).code(), Secrets.mask(FailureText.summary(failure))));
  }

  /**
   * Marks {@code runId} as going on until the returned handle is closed: a JVM that stops meanwhile
   * (SIGTERM, Ctrl-C, {@code System.exit}) records the run interrupted from a shutdown hook. A
   * process killed outright is found by the next command that opens the history, which records the
   * run lost.
   */
  public Active active(String runId) {
    if (!working || writes != Writes.ALL) {
      return () -> {};
    }
    Thread hook =
        new Thread(
            () ->
                ended(
                    runId,
                    RunOutcome.interrupted(
                        ExitCode.INTERRUPTED.code(),
                        "interrupted: the process was stopped (SIGTERM or Ctrl-C) while the run"
                            + " was going on")),
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
  public interface Active extends AutoCloseable {
    @Override
    void close();
  }

  /** The run's params as strings, in name order, secret-looking ones masked as in the manifest. */
  public static Map<String, String> maskedParams(JobSpec job) {
    Map<String, String> params = new TreeMap<>();
    for (Param p : job.params().values()) {
      params.put(
          p.name(), Secrets.isSecretName(p.name()) ? Secrets.MASK : String.valueOf(p.value()));
    }
    return params;
  }

  private void writeAll(Consumer<HistoryStore> write) {
    if (writes == Writes.ALL) {
      write(write);
    }
  }

  private void write(Consumer<HistoryStore> write) {
    if (!working) {
      return;
    }
    try (HistoryStore history = HistoryStore.open(settings.orElseThrow(), clock)) {
      write.accept(history);
    } catch (HistoryException e) {
      working = false;
      warnings.accept(
          "warning: "
              + e.getMessage()
              + ". The run goes on without being recorded in the run history, and only this"
              + " host's locks keep other runs off its export; see lakeport.history in the site"
              + " settings.");
    }
  }
}
