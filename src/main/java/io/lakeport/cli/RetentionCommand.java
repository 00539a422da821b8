package io.lakeport.cli;

import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Secrets;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryException;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.notify.RunNotifications;
import io.lakeport.retention.Archiver;
import io.lakeport.retention.Decision;
import io.lakeport.retention.Leftover;
import io.lakeport.retention.Retention;
import io.lakeport.retention.RetentionPlan;
import io.lakeport.run.RunId;
import io.lakeport.run.Sessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
  /** The history job name of a job's retention runs. */
  static final String SUFFIX = ".retention";

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
      List<JobSpec> selected = new ArrayList<>();
      for (Path file : files) {
        selected.add(loader.load(file, Map.of(), JobLoader.Mode.VALIDATE));
      }
      Map<String, String> roots = new LinkedHashMap<>();
      List<Path> all = JobFiles.expand(List.of(Lakeport.home().resolve("jobs")));
      for (Path file : all) {
        try {
          JobSpec job = loader.load(file, Map.of(), JobLoader.Mode.VALIDATE);
          roots.put(job.sink().path(), job.name());
        } catch (JobConfigException e) {
          throw new Failures.UserException(
              "retention needs every job's export root, to leave other jobs' exports"
                  + " alone, and "
                  + file
                  + " cannot be read: "
                  + e.problems().get(0).message()
                  + " Fix that job file first.");
        }
      }
      selected.forEach(job -> roots.put(job.sink().path(), job.name()));
      return new Jobs(selected, roots);
    }

    Retention retention(Site site, SparkHolder spark) {
      return retention(site, spark, retention.lakeport.clock());
    }

    static Retention retention(Site site, SparkHolder spark, java.time.Clock clock) {
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
    @Override
    public Integer call() throws IOException {
      Site site = retention.lakeport.site();
      Jobs jobs = jobs(new JobLoader(site));
      PrintWriter out = spec.commandLine().getOut();
      Instant now = retention.lakeport.clock().instant();
      int exit = 0;
      try (SparkHolder spark = new SparkHolder(site)) {
        Retention retention = retention(site, spark);
        for (JobSpec job : jobs.selected()) {
          RetentionPlan plan = retention.plan(job, jobs.othersThan(job));
          print(plan, now, out);
          exit = plan.refusal().isPresent() ? Failures.USER : exit;
        }
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
      Outcome outcome = new Outcome(outcomeFile);
      try {
        return outcome.succeeded(applyAll(outcome));
      } catch (Exception e) {
        outcome.failed(Failures.exitCode(e), e);
        throw e;
      }
    }

    private int applyAll(Outcome outcome) throws IOException {
      Site site = retention.lakeport.site();
      Jobs jobs = jobs(new JobLoader(site));
      if (runId.isPresent() && jobs.selected().size() != 1) {
        throw new Failures.UserException(
            "--run-id names the run of one job; " + jobs.selected().size() + " were given.");
      }
      PrintWriter out = spec.commandLine().getOut();
      Instant now = retention.lakeport.clock().instant();
      int exit = 0;
      try (SparkHolder spark = new SparkHolder(site);
          RunNotifications notifications =
              RunNotifications.open(site, this.retention.lakeport.clock())) {
        Retention retention = retention(site, spark);
        for (JobSpec job : jobs.selected()) {
          String id = runId.orElseGet(() -> RunId.next(this.retention.lakeport.clock()));
          Recorder recorder =
              new Recorder(
                  site.history(),
                  this.retention.lakeport.clock(),
                  job.name() + SUFFIX,
                  id,
                  runId.isEmpty());
          Applied applied = apply(retention, job, jobs, id, recorder, notifications, out, now);
          exit = Failures.worse(exit, applied.exitCode());
          applied
              .result()
              .filter(r -> applied.exitCode() == 0)
              .ifPresent(
                  r ->
                      outcome.retained(
                          id,
                          job.name() + SUFFIX,
                          r.exportsRemoved(),
                          r.bytesFreed(),
                          r.filesDeleted()));
        }
      }
      out.flush();
      return exit;
    }
  }

  /**
   * How one job's retention run ended: its exit code, what it did (when it ran), and why it failed.
   */
  record Applied(int exitCode, Optional<Retention.Result> result, String error) {}

  /**
   * Applies one job's retention as run {@code id}: prints what it did, records the run's end
   * ({@code recorder}), and announces a run that removed anything. A refusal (the policy keeps
   * nothing) ends with exit code 2, deletions that failed with 3; a failure to apply is recorded
   * and thrown.
   */
  static Applied apply(
      Retention retention,
      JobSpec job,
      Base.Jobs jobs,
      String id,
      Recorder recorder,
      RunNotifications notifications,
      PrintWriter out,
      Instant now)
      throws IOException {
    Retention.Result result;
    try {
      result = retention.apply(job, jobs.othersThan(job));
    } catch (IOException | RuntimeException e) {
      recorder.finish(RunOutcome.failed(Failures.exitCode(e), Secrets.mask(Failures.summary(e))));
      throw e;
    }
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
        job.name(),
        id,
        result.exportsRemoved(),
        result.filesDeleted(),
        result.bytesFreed());
    out.flush();
    if (result.plan().refusal().isPresent()) {
      String error = "refused: " + result.plan().refusal().get();
      recorder.finish(RunOutcome.failed(Failures.USER, error));
      return new Applied(Failures.USER, Optional.of(result), error);
    }
    if (!result.failures().isEmpty()) {
      String error = result.failures().size() + " not done: " + result.failures().get(0);
      recorder.finish(RunOutcome.failed(Failures.EXTERNAL, error));
      return new Applied(Failures.EXTERNAL, Optional.of(result), error);
    }
    recorder.finish(
        new RunOutcome(
            RunStatus.SUCCEEDED,
            0,
            Optional.of(result.exportsRemoved()),
            Optional.of(result.bytesFreed()),
            Optional.of(result.filesDeleted()),
            Optional.empty(),
            Optional.empty()));
    if (!result.actions().isEmpty()) {
      notifications.retentionApplied(job, id, result);
    }
    return new Applied(0, Optional.of(result), "");
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
      return restored.problems().isEmpty() ? 0 : Failures.DIFFERENT;
    }
  }

  /** Records a retention run in the history, best effort (like manual export runs). */
  static final class Recorder {
    private final HistorySettings settings;
    private final java.time.Clock clock;
    private final String runId;
    private final boolean owns;
    private boolean working;

    /**
     * Records run {@code runId} of {@code job} when {@code owns}; a run the scheduler started is
     * its to record.
     */
    Recorder(
        HistorySettings settings, java.time.Clock clock, String job, String runId, boolean owns) {
      this.settings = settings;
      this.clock = clock;
      this.runId = runId;
      this.owns = owns;
      this.working =
          owns
              && write(
                  history -> {
                    history.begin(
                        new RunRequest(runId, job, Optional.empty(), Trigger.MANUAL, Map.of()),
                        Worker.current());
                  });
    }

    void finish(RunOutcome outcome) {
      if (owns && working) {
        write(history -> history.finish(runId, outcome));
      }
    }

    private boolean write(java.util.function.Consumer<HistoryStore> action) {
      try (HistoryStore history = HistoryStore.open(settings, clock)) {
        action.accept(history);
        return true;
      } catch (HistoryException e) {
        return false;
      }
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
