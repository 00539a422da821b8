package io.lakeport.lifecycle;

import io.lakeport.config.JobSpec;
import io.lakeport.config.Secrets;
import io.lakeport.config.Site;
import io.lakeport.failure.ExitCode;
import io.lakeport.failure.FailureText;
import io.lakeport.history.HistoryThread;
import io.lakeport.history.JobNames;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.manifest.Manifest;
import io.lakeport.notify.RunLineage;
import io.lakeport.notify.RunNotifications;
import io.lakeport.retention.Retention;
import io.lakeport.run.ExportRunner;
import io.lakeport.run.RunResult;
import io.lakeport.run.SchemaDriftException;
import io.lakeport.run.SharedLeases;
import io.lakeport.schedule.launch.LaunchOutcome;
import io.lakeport.schedule.launch.OutcomeReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The life of every run, whichever entry point started it: record it as started, run it (the export
 * holds its lease, executes and publishes), record how it ended, whatever ended it (an exception,
 * an {@link Error}, SIGTERM), and announce it. A process opens one lifecycle for the runs it starts
 * and closes it when they are done, which waits (bounded) for the announcements to be delivered.
 *
 * <p>Runs the scheduler started are recorded and announced by the scheduler from their outcome: for
 * them {@link #underScheduler} records nothing and announces only what the scheduler cannot know.
 */
public final class RunLifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);
  private static final String JOB_KEY = ExportRunner.JOB_KEY;

  private final CompletableFuture<RunRecords> records;
  private final RunNotifications notifications;
  private final RunLineage lineage;
  private final boolean announcesEnds;
  private final SharedLeases leases;
  private final OutcomeReport report;
  private final Optional<RunLineage.Parent> lineageParent;
  private final Path logs;
  private final Clock clock;

  private RunLifecycle(
      CompletableFuture<RunRecords> records,
      RunNotifications notifications,
      RunLineage lineage,
      boolean announcesEnds,
      SharedLeases leases,
      OutcomeReport report,
      Optional<RunLineage.Parent> lineageParent,
      Path logs,
      Clock clock) {
    this.records = records;
    this.notifications = notifications;
    this.lineage = lineage;
    this.announcesEnds = announcesEnds;
    this.leases = leases;
    this.report = report;
    this.lineageParent = lineageParent;
    this.logs = logs;
    this.clock = clock;
  }

  /**
   * This lifecycle, also reporting how each run ended to {@code report} (the outcome file a
   * launcher reads).
   */
  public RunLifecycle reportingTo(OutcomeReport report) {
    return new RunLifecycle(
        records, notifications, lineage, announcesEnds, leases, report, lineageParent, logs, clock);
  }

  /**
   * This lifecycle, naming {@code parent} (when given) as the OpenLineage parent of its runs, in
   * place of the schedule slot a scheduled run has.
   */
  public RunLifecycle withLineageParent(Optional<RunLineage.Parent> parent) {
    return new RunLifecycle(
        records, notifications, lineage, announcesEnds, leases, report, parent, logs, clock);
  }

  /**
   * A lifecycle for runs this process starts: recorded in the site's run history and announced to
   * its channels. The history is opened in the background (its first open checks the schema while
   * Spark starts); {@code warnings} hears why runs go unrecorded, if they do.
   */
  public static RunLifecycle recording(Site site, Clock clock, Consumer<String> warnings) {
    // the records and the leases fail for the same reason: the first warning says it
    Consumer<String> first = onlyFirst(warnings);
    return new RunLifecycle(
        CompletableFuture.supplyAsync(
            () -> RunRecords.open(site.history(), clock, first), HistoryThread.executor()),
        RunNotifications.open(site, clock),
        RunLineage.open(site, clock),
        true,
        new HistoryLeases(site.history(), clock, first),
        OutcomeReport.none(),
        Optional.empty(),
        site.logs(),
        clock);
  }

  private static Consumer<String> onlyFirst(Consumer<String> warnings) {
    AtomicBoolean warned = new AtomicBoolean();
    return warning -> {
      if (warned.compareAndSet(false, true)) {
        warnings.accept(warning);
      }
    };
  }

  /**
   * A lifecycle for runs the scheduler started, which records them and announces how they ended
   * itself; what only a run knows (what a retention run removed, where its log file is) is still
   * announced or recorded here.
   */
  public static RunLifecycle underScheduler(Site site, Clock clock) {
    Consumer<String> warnings = onlyFirst(warning -> LOG.warn("{}", warning));
    return new RunLifecycle(
        CompletableFuture.completedFuture(RunRecords.logFilesOnly(site.history(), clock, warnings)),
        RunNotifications.open(site, clock),
        RunLineage.open(site, clock),
        false,
        new HistoryLeases(site.history(), clock, warnings),
        OutcomeReport.none(),
        Optional.empty(),
        site.logs(),
        clock);
  }

  /**
   * Runs {@code job} as run {@code runId} with {@code runner}, recorded as {@code trigger}, under
   * its export's lease in the run history as well as this host's locks. A run that fails in any
   * way, an {@link Error} included, is recorded failed and announced before the failure goes on to
   * the caller.
   */
  public RunResult export(ExportRunner runner, JobSpec job, String runId, Trigger trigger) {
    RunRecords history = records.join();
    history.started(job, runId, trigger);
    Optional<RunLineage.Parent> parent =
        lineage
            .namespace()
            .filter(namespace -> lineageParent.isEmpty())
            .flatMap(
                namespace ->
                    history
                        .slotOf(runId)
                        .map(slot -> RunLineage.Parent.ofSlot(namespace, job.name(), slot)))
            .or(() -> lineageParent);
    lineage.started(job, runId, parent);
    try (RunLineage.Watch aborts = lineage.abortOnExit(job, runId, parent);
        RunLogging logging = logging(history, job.name(), runId)) {
      return export(history, runner, job, runId, parent);
    }
  }

  private RunResult export(
      RunRecords history,
      ExportRunner runner,
      JobSpec job,
      String runId,
      Optional<RunLineage.Parent> parent) {
    Instant started = clock.instant();
    RunResult result;
    try (RunRecords.Active active = history.active(runId)) {
      try {
        result = runner.sharingLeases(leases).run(job, runId);
      } catch (Exception | Error e) {
        lineage.failed(job, runId, parent, Secrets.mask(FailureText.summary(e)));
        // Exception, not only RuntimeException:
        // Spark's Scala code throws undeclared checked exceptions
        LOG.error(RunLogFile.FILE_ONLY, "Run {} of job {} failed", runId, job.name(), e);
        if (e instanceof SchemaDriftException refused) {
          history.schemaDrift(runId, refused.drift());
        }
        history.failed(runId, e);
        report.failed(runId, job.name(), ExitCode.of(e).code(), FailureText.firstLineOf(e));
        if (announcesEnds) {
          notifications.failed(job, runId, started, Secrets.mask(FailureText.summary(e)));
          if (e instanceof SchemaDriftException refused) {
            notifications.refused(job, runId, refused.drift());
          }
        }
        throw e;
      }
    }
    if (result.manifest().schemaDrift() != null) {
      history.schemaDrift(runId, result.manifest().schemaDrift());
    }
    if (result.manifest().inputs() != null) {
      history.inputs(runId, result.manifest().inputs());
    }
    history.ended(runId, outcomeOf(result));
    lineage.completed(job, runId, parent, result);
    report.ended(runId, job.name(), written(result));
    if (announcesEnds) {
      notifications.succeeded(job, result);
    }
    return result;
  }

  /**
   * Applies {@code job}'s retention policy as run {@code runId} of history job {@code
   * <job>.retention}, leaving the exports of {@code otherJobs} (root to job name) alone. A refusal
   * (the policy would keep nothing) ends with exit code 2, deletions that failed with 3; a run that
   * removed anything is announced. A failure to apply is recorded and thrown.
   */
  public Retained retention(
      Retention retention,
      JobSpec job,
      Map<String, String> otherJobs,
      String runId,
      Trigger trigger)
      throws IOException {
    RunRecords history = records.join();
    String historyJob = JobNames.retentionOf(job.name());
    history.started(historyJob, runId, trigger, Map.of());
    try (RunLogging logging = logging(history, historyJob, runId)) {
      return retention(history, retention, job, otherJobs, historyJob, runId);
    }
  }

  private Retained retention(
      RunRecords history,
      Retention retention,
      JobSpec job,
      Map<String, String> otherJobs,
      String historyJob,
      String runId)
      throws IOException {
    Retention.Result result;
    try (RunRecords.Active active = history.active(runId)) {
      try {
        result = retention.apply(job, otherJobs);
      } catch (IOException | RuntimeException | Error e) {
        LOG.error(RunLogFile.FILE_ONLY, "Run {} of job {} failed", runId, historyJob, e);
        history.failed(runId, e);
        report.failed(runId, historyJob, ExitCode.of(e).code(), FailureText.firstLineOf(e));
        throw e;
      }
    }
    if (result.plan().refusal().isPresent()) {
      String error = "refused: " + result.plan().refusal().get();
      history.ended(runId, RunOutcome.failed(ExitCode.USER.code(), error));
      report.failed(runId, historyJob, ExitCode.USER.code(), error);
      return new Retained(ExitCode.USER, result, error);
    }
    if (!result.failures().isEmpty()) {
      String error = result.failures().size() + " not done: " + result.failures().get(0);
      history.ended(runId, RunOutcome.failed(ExitCode.EXTERNAL.code(), error));
      report.failed(runId, historyJob, ExitCode.EXTERNAL.code(), error);
      return new Retained(ExitCode.EXTERNAL, result, error);
    }
    history.ended(
        runId,
        new RunOutcome(
            RunStatus.SUCCEEDED,
            0,
            Optional.of(result.exportsRemoved()),
            Optional.of(result.bytesFreed()),
            Optional.of(result.filesDeleted()),
            Optional.empty(),
            Optional.empty()));
    report.ended(runId, historyJob, written(result));
    if (!result.actions().isEmpty()) {
      notifications.retentionApplied(job, runId, result);
    }
    return new Retained(ExitCode.OK, result, "");
  }

  /**
   * How a retention run ended: its exit code, what it did, and why it failed (empty when it did
   * not).
   */
  public record Retained(ExitCode exitCode, Retention.Result result, String error) {}

  /**
   * The run's lines, tagged with its job and run id (MDC {@code job} and {@code run}) in this
   * thread, going to its own log file, which the history names.
   */
  private RunLogging logging(RunRecords history, String job, String runId) {
    String previousJob = MDC.get(JOB_KEY);
    String previousRun = MDC.get(RunLogFile.RUN_KEY);
    MDC.put(JOB_KEY, job);
    MDC.put(RunLogFile.RUN_KEY, runId);
    RunLogFile file = RunLogFile.open(logs, job, runId);
    file.path().ifPresent(path -> history.logFile(runId, path.toString()));
    return () -> {
      file.close();
      restore(JOB_KEY, previousJob);
      restore(RunLogFile.RUN_KEY, previousRun);
    };
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** A run's logging, ended when the run ends. */
  private interface RunLogging extends AutoCloseable {
    @Override
    void close();
  }

  /** What a run that ended without failing wrote, as a launcher is told. */
  public static LaunchOutcome.Written written(RunResult result) {
    Manifest.Totals totals = result.manifest().totals();
    return new LaunchOutcome.Written(
        result.status() == RunResult.Status.PUBLISHED,
        totals.rows(),
        totals.bytes(),
        totals.files(),
        result.manifestPath().orElse(""));
  }

  /**
   * What a retention run that ended without failing did, as a launcher is told (and as the history
   * keeps it): rows are the exports removed.
   */
  public static LaunchOutcome.Written written(Retention.Result result) {
    return new LaunchOutcome.Written(
        true, result.exportsRemoved(), result.bytesFreed(), result.filesDeleted(), "");
  }

  /** The history's outcome of a run that ended without failing: published or skipped. */
  static RunOutcome outcomeOf(RunResult result) {
    Manifest.Totals totals = result.manifest().totals();
    return switch (result.status()) {
      case PUBLISHED ->
          RunOutcome.succeeded(
              totals.rows(), totals.bytes(), totals.files(), result.manifestPath().orElseThrow());
      case SKIPPED -> RunOutcome.skipped();
    };
  }

  /** Waits (bounded by the site's settings) for the runs' announcements to be delivered. */
  @Override
  public void close() {
    try {
      lineage.close();
    } finally {
      notifications.close();
    }
  }
}
