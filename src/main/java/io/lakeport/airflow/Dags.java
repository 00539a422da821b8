package io.lakeport.airflow;

import io.lakeport.config.AirflowSettings;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.DagSpec;
import io.lakeport.config.EventType;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Origin;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.Site;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Airflow DAGs from job files: the commands each job has Airflow run ({@link #of}), and their DAG
 * files ({@link #write}), one {@code <dag id>.py} each. A job's export is the DAG named like the
 * job; a job without a schedule gets a DAG that runs only when triggered.
 */
public final class Dags {
  static final String RUN = "run";

  /** A URI scheme of two or more letters (one letter is a Windows drive). */
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*");

  private static final String FILE_SCHEME = "file:";

  private Dags() {}

  /**
   * The commands Airflow runs for {@code job}: its export, with the run_date its slots stand for.
   * Another scheduled command of a job (retention: {@code retention apply <job file>} on the
   * retention block's schedule, no run_date, no outlets) is one more {@link ScheduledCommand} in
   * this list, with its own DAG id ({@code <job>-retention}). Each is e-mailed to the job's
   * run-failed email recipients (site and job subscriptions) when it fails for good: for a failed
   * retention apply, which announces nothing itself, that is the only word anyone gets.
   */
  public static List<ScheduledCommand> of(JobSpec job, Site site) {
    AirflowSettings.Dags dags = site.airflow().dags();
    List<String> failureEmails =
        site.notifications().emailRecipients(EventType.RUN_FAILED, job.notifications());
    ScheduleSpec.RunDate rule =
        job.schedule().map(ScheduleSpec::runDate).orElse(ScheduleSpec.RunDate.PREVIOUS_WINDOW);
    DagSpec dag = job.airflow();
    DagSpec export =
        new DagSpec(
            dag.startDate(),
            dag.owner(),
            dag.pool(),
            dag.poolSlots(),
            dag.queue(),
            dag.tags(),
            dag.onFailureCallbacks(),
            dag.onSuccessCallbacks(),
            dag.onRetryCallbacks(),
            dag.outlets().stream().map(o -> outletUri(o, site, dags)).toList());
    List<ScheduledCommand> commands = new ArrayList<>();
    commands.add(
        new ScheduledCommand(
            job.name(),
            job.description(),
            job.file(),
            List.of(RUN, onWorkers(dags, job.file())),
            Optional.of(new ScheduledCommand.RunDate(job.timeZone(), job.window(), rule)),
            job.schedule(),
            failureEmails,
            export));
    job.retention()
        .schedule()
        .ifPresent(
            schedule ->
                commands.add(
                    new ScheduledCommand(
                        job.name() + "-retention",
                        "Retention of " + job.name() + ": " + job.retention().keep().describe(),
                        job.file(),
                        List.of("retention", "apply", onWorkers(dags, job.file())),
                        Optional.empty(),
                        Optional.of(schedule),
                        failureEmails,
                        withoutOutlets(dag))));
    return List.copyOf(commands);
  }

  /**
   * Writes the DAG files of {@code jobs}, with the site's Airflow and notification settings, into
   * {@code out} (created if need be) and returns them, in job order. The DAGs submit the jar of
   * Lakeport {@code version} unless the site names one; a job whose {@code airflow.start-date} is
   * not set starts on {@code startDate}. Every job is converted before anything is written, so a
   * schedule Airflow cannot express, a missing start date or a broken template leaves the folder as
   * it was; all such problems are reported at once.
   */
  public static List<Path> write(
      List<JobSpec> jobs, Site site, String version, Optional<LocalDate> startDate, Path out) {
    AirflowSettings.Dags dags = absolute(site.airflow().dags(), version);
    DagTemplate template = template(dags, site);
    List<ConfigProblem> problems = new ArrayList<>();
    List<ScheduledCommand> commands = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (JobSpec job : jobs) {
      Optional<LocalDate> start = job.airflow().startDate().or(() -> startDate);
      if (start.isEmpty()) {
        problems.add(missingStartDate(job));
        continue;
      }
      for (ScheduledCommand command : of(job, site)) {
        try {
          texts.add(DagFile.render(command, dags, start.get(), template));
          commands.add(command);
        } catch (JobConfigException e) {
          problems.addAll(e.problems());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new JobConfigException(problems);
    }
    try {
      Files.createDirectories(out);
      List<Path> written = new ArrayList<>();
      for (int i = 0; i < commands.size(); i++) {
        written.add(Files.writeString(out.resolve(commands.get(i).dagId() + ".py"), texts.get(i)));
      }
      return List.copyOf(written);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write DAG files to " + out + ": " + e.getMessage(), e);
    }
  }

  /** The built-in template's text, for users to start their own from. */
  public static String builtInTemplate() {
    return DagTemplate.builtInText();
  }

  private static ConfigProblem missingStartDate(JobSpec job) {
    return new ConfigProblem(
        new Origin(job.file(), 0, "airflow.start-date"),
        "missing: a DAG needs a fixed start_date (the first day Airflow schedules)",
        "Add airflow { start-date = \"2026-12-01\" } to the job file, set"
            + " lakeport.job-defaults.airflow.start-date in the site settings, or pass"
            + " --start-date.");
  }

  private static DagTemplate template(AirflowSettings.Dags dags, Site site) {
    if (dags.template().isEmpty()) {
      return DagTemplate.builtIn();
    }
    Path file = Path.of(dags.template().get());
    return DagTemplate.read(
        file.isAbsolute() ? file : Path.of(site.home()).resolve(file), dags.template().get());
  }

  private static DagSpec withoutOutlets(DagSpec dag) {
    return new DagSpec(
        dag.startDate(),
        dag.owner(),
        dag.pool(),
        dag.poolSlots(),
        dag.queue(),
        dag.tags(),
        dag.onFailureCallbacks(),
        dag.onSuccessCallbacks(),
        dag.onRetryCallbacks(),
        List.of());
  }

  /**
   * An outlet as the URI Airflow gets: a URI with a scheme as written; a local path as {@code
   * file://<absolute path>} as the workers see it, where a path below this machine's Lakeport home
   * is below {@code airflow.dags.home} (their home) instead.
   */
  static String outletUri(String outlet, Site site, AirflowSettings.Dags dags) {
    boolean file = outlet.regionMatches(true, 0, FILE_SCHEME, 0, FILE_SCHEME.length());
    if (!file && SCHEME.matcher(outlet).matches()) {
      return outlet;
    }
    String local = file ? outlet.substring(FILE_SCHEME.length()).replaceFirst("^//", "") : outlet;
    if (SCHEME.matcher(site.home()).matches()) {
      return FILE_SCHEME + "//" + local;
    }
    Path home = Path.of(site.home()).toAbsolutePath().normalize();
    Path path = home.resolve(local).normalize();
    if (path.startsWith(home)) {
      path = Path.of(absolute(dags.home())).resolve(home.relativize(path)).normalize();
    }
    return FILE_SCHEME + "//" + path;
  }

  /** A job file's path on the Airflow workers: below the Lakeport home there, unless absolute. */
  private static String onWorkers(AirflowSettings.Dags dags, String jobFile) {
    String home = absolute(dags.home());
    return Path.of(jobFile).isAbsolute()
        ? jobFile
        : home + (home.endsWith("/") ? "" : "/") + jobFile;
  }

  /**
   * The settings with relative paths (a home of ".") made absolute, since workers start elsewhere,
   * and the application jar named: by default {@code <home>/lib/lakeport-<version>.jar}, as the
   * release archive ships it, or {@code <home>/target/lakeport-<version>.jar} when this machine has
   * that and not the former (a checkout).
   */
  static AirflowSettings.Dags absolute(AirflowSettings.Dags dags, String version) {
    String home = absolute(dags.home());
    String jar = "lakeport-" + version + ".jar";
    Path released = Path.of(home, "lib", jar);
    Path built = Path.of(home, "target", jar);
    Path application =
        dags.application()
            .map(Path::of)
            .orElse(
                !Files.isRegularFile(released) && Files.isRegularFile(built) ? built : released);
    return new AirflowSettings.Dags(
        home,
        Optional.of(application.toAbsolutePath().normalize().toString()),
        dags.connId(),
        dags.packages(),
        dags.sparkConf(),
        dags.template());
  }

  private static String absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize().toString();
  }
}
