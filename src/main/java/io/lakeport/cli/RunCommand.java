package io.lakeport.cli;

import io.lakeport.config.Dependencies;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.failure.ExitCode;
import io.lakeport.failure.FailureText;
import io.lakeport.history.Trigger;
import io.lakeport.lifecycle.RunLifecycle;
import io.lakeport.manifest.Manifest;
import io.lakeport.notify.RunLineage;
import io.lakeport.run.ExportRunner;
import io.lakeport.run.RunId;
import io.lakeport.run.RunResult;
import io.lakeport.run.Sessions;
import io.lakeport.schedule.launch.OutcomeReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport run <job>... [--param k=v]... [--master URL] [--from D --to D [--force]]}: runs
 * jobs in one Spark session; with {@code --from}/{@code --to}, every window of each job in order,
 * skipping windows already published. Each run is recorded in the run history (best effort) and
 * announced to the channels subscribed to it; the command waits (bounded) for those deliveries.
 */
@Command(name = "run", description = "Run export jobs (several share one Spark session).")
final class RunCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Params params;
  @Mixin Output output;
  @Mixin AcceleratorOption accelerator;

  @Parameters(arity = "1..*", paramLabel = "JOB", description = "Job files (or folders of them).")
  List<Path> jobs;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master for embedded runs (default from conf).")
  Optional<String> master;

  @Option(
      names = "--from",
      paramLabel = "DATE",
      description =
          "Backfill: run every window from the one holding this date (with --to), in order.")
  Optional<LocalDate> from;

  @Option(
      names = "--to",
      paramLabel = "DATE",
      description = "Backfill: the last date (its window included).")
  Optional<LocalDate> to;

  @Option(names = "--force", description = "Backfill: run windows that are already published too.")
  boolean force;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Run id to use (one job, no backfill); set by the scheduler.")
  Optional<String> runId;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Wait up to DURATION (e.g. 10m) for another run writing the same export to end; by default fail"
              + " at once (exit 3) naming that run.")
  Optional<Duration> leaseWait;

  @Option(
      names = "--outcome-file",
      paramLabel = "FILE",
      description =
          "Write how the run ended (exit code, run id, manifest or error) as JSON to FILE; for launchers.")
  Optional<Path> outcomeFile;

  @Option(
      names = "--lineage-parent",
      paramLabel = "NAMESPACE/JOB/RUN",
      description =
          "The OpenLineage parent of the runs (with lakeport.lineage on): the job and run that"
              + " started them, as a generated Airflow DAG passes its task; RUN is a UUID or any"
              + " name.")
  Optional<String> lineageParent;

  @Override
  public Integer call() throws Exception {
    OutcomeReport report = OutcomeReport.to(outcomeFile);
    try {
      return report.finish(runAll(report));
    } catch (Exception e) {
      // Exception, not only RuntimeException:
      // Spark's Scala code throws undeclared checked SparkExceptions.
      report.finish(ExitCode.of(e).code(), FailureText.firstLineOf(e));
      throw e;
    }
  }

  private int runAll(OutcomeReport report) throws Exception {
    Site site = accelerator.apply(lakeport.site());
    JobLoader loader = new JobLoader(site);
    List<JobSpec> specs = new ArrayList<>();
    for (Path file : JobFiles.expand(jobs)) {
      for (Map<String, String> values : Backfill.windows(from, to, params.values)) {
        // a job that fans out runs once per value
        specs.addAll(FanOut.runs(loader, file, values));
      }
    }
    runId.ifPresent(RunCommand::requireRunId);
    if (runId.isPresent() && specs.size() != 1) {
      throw new Failures.UserException(
          "--run-id names one run; give one job and no backfill range.");
    }
    Clock clock = lakeport.clock();
    PrintWriter err = spec.commandLine().getErr();
    // A run with --run-id was started by the scheduler, which records and announces it itself.
    RunResults results = new RunResults(output, spec.commandLine().getOut(), clock, site.logs());
    try (RunLifecycle lifecycle =
        runId.isPresent()
            ? RunLifecycle.underScheduler(site, clock)
            : RunLifecycle.recording(site, clock, warning -> warn(err, warning))) {
      RunLifecycle runs = lifecycle.reportingTo(report).withLineageParent(parent());
      SparkSession spark = Sessions.create(site, master);
      ProgressListener.install(spark.sparkContext());
      ExportRunner runner =
          new ExportRunner(spark, clock).waitingForLease(leaseWait.orElse(Duration.ZERO));
      Trigger trigger = from.isPresent() ? Trigger.BACKFILL : Trigger.MANUAL;
      // a backfill runs every job after the jobs it waits for (schedule.after)
      List<JobSpec> failed = new ArrayList<>();
      for (JobSpec job : Backfill.oneRunPerWindow(Dependencies.ordered(specs))) {
        Optional<String> published =
            from.isPresent() && !force ? runner.publishedWindow(job) : Optional.empty();
        if (published.isPresent()) {
          results.alreadyPublished(job, published.get());
          continue;
        }
        Optional<JobSpec> upstream = Backfill.failedUpstream(job, failed);
        if (upstream.isPresent()) {
          err.println(
              "job "
                  + job.name()
                  + " window "
                  + Backfill.windowStart(job).orElse("-")
                  + ": not run, the job it waits for ("
                  + upstream.get().name()
                  + ") failed for window "
                  + Backfill.windowStart(upstream.get()).orElse("-"));
          failed.add(job);
          results.notRun(job);
          continue;
        }
        String id = runId.orElseGet(() -> RunId.next(clock));
        Instant started = clock.instant();
        try {
          results.ended(job, trigger, runs.export(runner, job, id, trigger));
        } catch (Exception | Error e) {
          // Exception, not only RuntimeException:
          // Spark's Scala code throws undeclared checked exceptions
          if (specs.size() == 1) {
            throw e;
          }
          failed.add(job);
          int code = ExitCode.of(e).code();
          err.println("job " + FanOut.label(job) + " run " + id + " failed:");
          Failures.print(err, e, code, lakeport.detail());
          results.failed(job, id, trigger, started, e, code);
        }
      }
    }
    results.finish(specs.size() > 1);
    return results.exitCode();
  }

  /** The {@code --lineage-parent}, checked. */
  private Optional<RunLineage.Parent> parent() {
    try {
      return lineageParent.map(RunLineage.Parent::parse);
    } catch (IllegalArgumentException e) {
      throw new Failures.UserException("--lineage-parent: " + e.getMessage());
    }
  }

  /** Refuses a run id that is not one: it names the run's staging folder and manifest. */
  static void requireRunId(String runId) {
    if (!RunId.isValid(runId)) {
      throw new Failures.UserException(
          "--run-id \""
              + runId
              + "\" is not a run id: use letters, digits, '.', '_' and '-' (at most 100, no '..'),"
              + " e.g. 20261124T021500123Z-3f9a1c.");
    }
  }

  private static void warn(PrintWriter err, String warning) {
    err.println(warning);
    err.flush();
  }

  static void report(PrintWriter out, RunResult result) {
    Manifest m = result.manifest();
    if (result.status() == RunResult.Status.SKIPPED) {
      out.printf(
          Locale.ROOT,
          "job %s run %s: no rows (%,d read); nothing published, as sink.on-empty = skip says%n",
          m.job(),
          m.runId(),
          m.totals().rowsRead());
      out.flush();
      return;
    }
    out.printf(
        Locale.ROOT,
        "job %s run %s: %,d rows in %d files (%,d bytes) -> %s%n",
        m.job(),
        m.runId(),
        m.totals().rows(),
        m.totals().files(),
        m.totals().bytes(),
        m.sink().path());
    out.printf(Locale.ROOT, "manifest: %s%n", result.manifestPath().orElseThrow());
    out.flush();
  }
}
