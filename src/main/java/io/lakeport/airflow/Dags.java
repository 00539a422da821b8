package io.lakeport.airflow;

import io.lakeport.config.AirflowSettings;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.EventType;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
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

/**
 * Airflow DAGs from job files: the commands each job has Airflow run ({@link #of}), and their DAG
 * files ({@link #write}), one {@code <dag id>.py} each. A job's export is the DAG named like the
 * job; a job without a schedule gets a DAG that runs only when triggered.
 */
public final class Dags {
  static final String RUN = "run";

  private Dags() {}

  /**
   * The commands Airflow runs for {@code job}: its export, with the run_date its slots stand for.
   * Another scheduled command of a job (retention: {@code retention apply <job file>} on the
   * retention block's schedule, no run_date) is one more {@link ScheduledCommand} in this list,
   * with its own DAG id ({@code <job>-retention}). Each is e-mailed to the job's run-failed email
   * recipients (site and job subscriptions) when it fails for good: for a failed retention apply,
   * which announces nothing itself, that is the only word anyone gets.
   */
  public static List<ScheduledCommand> of(JobSpec job, Site site) {
    AirflowSettings.Dags dags = site.airflow().dags();
    List<String> failureEmails =
        site.notifications().emailRecipients(EventType.RUN_FAILED, job.notifications());
    ScheduleSpec.RunDate rule =
        job.schedule().map(ScheduleSpec::runDate).orElse(ScheduleSpec.RunDate.PREVIOUS_WINDOW);
    ScheduledCommand export =
        new ScheduledCommand(
            job.name(),
            job.description(),
            job.file(),
            List.of(RUN, onWorkers(dags, job.file())),
            Optional.of(new ScheduledCommand.RunDate(job.timeZone(), job.window(), rule)),
            job.schedule(),
            failureEmails);
    List<ScheduledCommand> commands = new ArrayList<>(List.of(export));
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
                        failureEmails)));
    return List.copyOf(commands);
  }

  /** The DAG file's text for one command. */
  public static String render(
      ScheduledCommand command, AirflowSettings.Dags dags, LocalDate startDate) {
    return DagFile.render(command, absolute(dags), startDate);
  }

  /**
   * Writes the DAG files of {@code jobs}, with the site's Airflow and notification settings, into
   * {@code out} (created if need be) and returns them, in job order. Every job is converted before
   * anything is written, so a schedule Airflow cannot express leaves the folder as it was; all such
   * problems are reported at once.
   */
  public static List<Path> write(List<JobSpec> jobs, Site site, LocalDate startDate, Path out) {
    AirflowSettings.Dags dags = site.airflow().dags();
    List<ConfigProblem> problems = new ArrayList<>();
    List<ScheduledCommand> commands = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (JobSpec job : jobs) {
      for (ScheduledCommand command : of(job, site)) {
        try {
          texts.add(render(command, dags, startDate));
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

  /** A job file's path on the Airflow workers: below the Lakeport home there, unless absolute. */
  private static String onWorkers(AirflowSettings.Dags dags, String jobFile) {
    String home = absolute(dags).home();
    return Path.of(jobFile).isAbsolute()
        ? jobFile
        : home + (home.endsWith("/") ? "" : "/") + jobFile;
  }

  /**
   * The settings with relative paths (a home of ".") made absolute, since workers start elsewhere.
   */
  private static AirflowSettings.Dags absolute(AirflowSettings.Dags dags) {
    return new AirflowSettings.Dags(
        Path.of(dags.home()).toAbsolutePath().normalize().toString(),
        Path.of(dags.application()).toAbsolutePath().normalize().toString(),
        dags.connId(),
        dags.packages(),
        dags.sparkConf());
  }
}
