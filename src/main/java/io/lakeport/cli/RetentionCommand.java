package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.failure.ExitCode;
import io.lakeport.failure.FailureText;
import io.lakeport.history.Trigger;
import io.lakeport.lifecycle.RunLifecycle;
import io.lakeport.retention.Archiver;
import io.lakeport.retention.Decision;
import io.lakeport.retention.Leftover;
import io.lakeport.retention.Retention;
import io.lakeport.retention.RetentionPlan;
import io.lakeport.run.RunId;
import io.lakeport.run.Sessions;
import io.lakeport.schedule.launch.OutcomeReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport retention plan|apply|restore}: what the jobs' retention policies would remove,
 * doing it (recorded in the run history as runs of job {@code <job>.retention}), and unpacking an
 * archive. Exit codes: 0, 2 when a policy is refused or a job file is wrong, 3 when storage fails.
 */
@Command(
    name = "retention",
    description = "Remove or archive old exports by the jobs' retention policies.",
    subcommands = {
      RetentionCommand.PlanCommand.class,
      RetentionCommand.ApplyCommand.class,
      RetentionCommand.RestoreCommand.class
    })
final class RetentionCommand {
  @ParentCommand Lakeport lakeport;

  /**
   * {@code JOB...} or {@code --all}: one is required, so that apply never runs on every job by
   * accident.
   */
  static final class Targets {
    @Parameters(arity = "1..*", paramLabel = "JOB", description = "Job files (or folders of them).")
    List<Path> jobs;

    @Option(names = "--all", required = true, description = "Every job in jobs/.")
    boolean all;

    List<Path> files() {
      return JobFiles.expand(all ? List.of(Lakeport.home().resolve("jobs")) : jobs);
    }
  }

  abstract static class Base implements Callable<Integer> {
    @ParentCommand RetentionCommand retention;
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Targets targets;

    /** The jobs asked for, and every job's export root (to keep out of each other's way). */
    record Jobs(List<JobSpec> selected, Map<String, String> roots) {
      Map<String, String> othersThan(JobSpec job) {
        Map<String, String> others = new LinkedHashMap<>(roots);
        others.remove(job.sink().path());
        return others;
      }
    }

    Jobs jobs(JobLoader loader) {
      return Base.jobs(loader, targets.files());
    }

    /**
     * The jobs of {@code files}, and the export roots of every job in jobs/ (fails on a file that
     * does not load).
     */
    static Jobs jobs(JobLoader loader, List<Path> files) {
      List<JobSpec> selected = JobCatalog.load(loader, files).requireValid();
      Map<String, String> roots = new LinkedHashMap<>();
      JobCatalog all =
          JobCatalog.load(loader, JobFiles.expand(List.of(Lakeport.home().resolve("jobs"))));
      for (JobCatalog.Entry entry : all.entries()) {
        if (entry.job().isEmpty()) {
          throw new Failures.UserException(
              "retention needs every job's export root, to leave other jobs' exports"
                  + " alone, and "
                  + entry.file()
                  + " cannot be read: "
                  + entry.problems().get(0).message()
                  + " Fix that job file first.");
        }
        roots.put(entry.job().get().sink().path(), entry.job().get().name());
      }
      selected.forEach(job -> roots.put(job.sink().path(), job.name()));
      return new Jobs(selected, roots);
    }

    Retention retention(Site site, SparkHolder spark) {
      return retention(site, spark, retention.lakeport.clock());
    }

    static Retention retention(Site site, SparkHolder spark, Clock clock) {
      Configuration conf = Sessions.hadoopConfiguration(site);
      return new Retention(conf, clock, spark::get);
    }

    /** Starts a Spark session only for Delta sinks, which retention cleans through Delta. */
    static final class SparkHolder implements AutoCloseable {
      private final Site site;
      private SparkSession spark;

      SparkHolder(Site site) {
        this.site = site;
      }

      SparkSession get() {
        if (spark == null) {
          spark = Sessions.create(site, Optional.empty());
        }
        return spark;
      }

      @Override
      public void close() {
        // the session is the process's; it ends with the JVM
      }
    }
  }

  @Command(
      name = "plan",
      description = "Print what retention would archive and delete, and why. Changes nothing.")
  static final class PlanCommand extends Base {
    @Mixin Output output;

    @Override
    public Integer call() throws IOException {
      Site site = retention.lakeport.site();
      Jobs jobs = jobs(new JobLoader(site));
      PrintWriter out = spec.commandLine().getOut();
      Instant now = retention.lakeport.clock().instant();
      int exit = 0;
      List<RetentionPlan> plans = new ArrayList<>();
      try (SparkHolder spark = new SparkHolder(site)) {
        Retention retention = retention(site, spark);
        for (JobSpec job : jobs.selected()) {
          RetentionPlan plan = retention.plan(job, jobs.othersThan(job));
          plans.add(plan);
          if (!output.json()) {
            print(plan, now, out);
          }
          exit = plan.refusal().isPresent() ? ExitCode.USER.code() : exit;
        }
      }
      if (output.json()) {
        Output.print(out, Map.of("plans", plans.stream().map(RetentionJson::plan).toList()));
      }
      out.flush();
      return exit;
    }
  }

  @Command(
      name = "apply",
      description = "Archive and delete what retention plans, and record it in the run history.")
  static final class ApplyCommand extends Base {
    @Option(
        names = "--run-id",
        paramLabel = "ID",
        description = "Run id to record (one job); set by the scheduler.")
    Optional<String> runId;

    @Option(
        names = "--outcome-file",
        paramLabel = "FILE",
        description = "Write how the run ended as JSON to FILE (for the scheduler).")
    Optional<Path> outcomeFile;

    @Override
    public Integer call() throws IOException {
      OutcomeReport report = OutcomeReport.to(outcomeFile);
      try {
        return report.finish(applyAll(report));
      } catch (Exception e) {
        report.finish(ExitCode.of(e).code(), FailureText.firstLineOf(e));
        throw e;
      }
    }

    private int applyAll(OutcomeReport report) throws IOException {
      Site site = retention.lakeport.site();
      Clock clock = retention.lakeport.clock();
      Jobs jobs = jobs(new JobLoader(site));
      runId.ifPresent(RunCommand::requireRunId);
      if (runId.isPresent() && jobs.selected().size() != 1) {
        throw new Failures.UserException(
            "--run-id names the run of one job; " + jobs.selected().size() + " were given.");
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Instant now = clock.instant();
      int exit = 0;
      // a run with --run-id was started by the scheduler, which records and announces it itself
      try (SparkHolder spark = new SparkHolder(site);
          RunLifecycle lifecycle =
              runId.isPresent()
                  ? RunLifecycle.underScheduler(site, clock)
                  : RunLifecycle.recording(site, clock, err::println)) {
        RunLifecycle runs = lifecycle.reportingTo(report);
        Retention retention = retention(site, spark);
        for (JobSpec job : jobs.selected()) {
          String id = runId.orElseGet(() -> RunId.next(clock));
          RunLifecycle.Retained retained =
              runs.retention(retention, job, jobs.othersThan(job), id, Trigger.MANUAL);
          print(retained.result(), id, now, out);
          exit = ExitCode.worse(exit, retained.exitCode().code());
        }
      }
      out.flush();
      return exit;
    }
  }

  /** Prints what a retention run did: its plan, what was done, and what was not. */
  static void print(Retention.Result result, String runId, Instant now, PrintWriter out) {
    print(result.plan(), now, out);
    for (Retention.Action action : result.actions()) {
      out.printf(
          Locale.ROOT,
          "  done: %s %s (%,d files, %,d bytes)%s%n",
          action.what(),
          action.subject(),
          action.files(),
          action.bytes(),
          action.archive().map(a -> " -> " + a).orElse(""));
    }
    result.failures().forEach(f -> out.println("  not done: " + f));
    out.printf(
        Locale.ROOT,
        "job %s retention run %s: %d exports removed, %,d files, %,d bytes freed%n",
        result.plan().job(),
        runId,
        result.exportsRemoved(),
        result.filesDeleted(),
        result.bytesFreed());
    out.flush();
  }

  @Command(
      name = "restore",
      description = "Unpack an export's archive, checking every file against its SHA-256.")
  static final class RestoreCommand implements Callable<Integer> {
    @ParentCommand RetentionCommand retention;
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "ARCHIVE",
        description = "The archive (.tar.gz or .zip), a path or URI.")
    String archive;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "DIR",
        description = "Folder (or URI) to restore into; must not exist.")
    String target;

    @Override
    public Integer call() throws IOException {
      Configuration conf = Sessions.hadoopConfiguration(retention.lakeport.site());
      org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(archive);
      org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(target);
      if (to.getFileSystem(conf).exists(to)) {
        throw new Failures.UserException(target + " exists; restore into a new folder.");
      }
      Archiver.Restored restored =
          Archiver.restore(from.getFileSystem(conf), from, to.getFileSystem(conf), to);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("restored %d files from %s into %s%n", restored.files().size(), archive, target);
      restored.problems().forEach(p -> out.println("  differs from its manifest: " + p));
      out.flush();
      return restored.problems().isEmpty() ? 0 : ExitCode.DIFFERENT.code();
    }
  }

  static void print(RetentionPlan plan, Instant now, PrintWriter out) {
    out.printf("job %s: %s%n", plan.job(), plan.root());
    out.printf("  policy: %s%n", plan.policy());
    plan.refusal().ifPresent(r -> out.println("  REFUSED: " + r));
    plan.interrupted()
        .forEach(run -> out.println("  interrupted deletion of run " + run + ": finished first"));
    if (!plan.decisions().isEmpty()) {
      Table table =
          new Table("RUN ID", "LOGICAL DATE", "PUBLISHED", ">FILES", ">BYTES", "ACTION", "WHY");
      for (Decision d : plan.decisions()) {
        table.row(
            d.export().runId(),
            d.export().logicalDate().map(Object::toString).orElse("-"),
            d.export().publishedAt().toString(),
            String.valueOf(d.export().files()),
            String.format(Locale.ROOT, "%,d", d.export().bytes()),
            d.action().text(),
            d.reasons().isEmpty() ? "no rule keeps it" : String.join("; ", d.reasons()));
      }
      table.print(out);
    }
    plan.delta()
        .ifPresent(
            delta -> {
              out.printf(
                  "  vacuum (retain %s): %d files%n",
                  delta.vacuumRetain().map(Object::toString).orElse("not set"),
                  delta.filesToVacuum().size());
              delta.filesToVacuum().forEach(f -> out.println("    " + f));
              out.printf(
                  "  log retention: %s -> %s%n",
                  delta.logRetention().orElse("Delta's default"),
                  delta.wantedLogRetention().orElse("unchanged"));
            });
    for (Leftover l : plan.staleLeftovers()) {
      out.printf(
          Locale.ROOT,
          "  leftover %s %s: %d files, %,d bytes, last changed %s ago: delete%n",
          l.kind().text(),
          l.path(),
          l.files(),
          l.bytes(),
          age(l.lastModified(), now));
    }
    for (Leftover l : plan.freshLeftovers()) {
      out.printf(
          Locale.ROOT,
          "  leftover %s %s: %d files, %,d bytes, last changed %s ago: kept (grace period)%n",
          l.kind().text(),
          l.path(),
          l.files(),
          l.bytes(),
          age(l.lastModified(), now));
    }
    plan.expiredArchives().forEach(a -> out.println("  archive " + a + ": past keep-days, delete"));
    plan.refusedPaths()
        .forEach((path, why) -> out.println("  never touched: " + path + " (" + why + ")"));
    if (plan.unclaimedFiles() > 0) {
      out.printf(
          "  %d files under the root belong to no manifest: never deleted%n",
          plan.unclaimedFiles());
    }
    out.printf(
        Locale.ROOT,
        "  would remove %d of %d exports and %d leftovers: %,d files, %,d bytes%n",
        plan.removed().size(),
        plan.decisions().size(),
        plan.staleLeftovers().size(),
        plan.filesFreed(),
        plan.bytesFreed());
  }

  private static String age(Instant then, Instant now) {
    Duration age = Duration.between(then, now);
    return age.toDays() > 0
        ? age.toDays() + "d"
        : age.toHours() > 0 ? age.toHours() + "h" : age.toMinutes() + "m";
  }
}
