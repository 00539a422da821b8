package io.lakeport.airflow;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.DagSpec;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.Window;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * One Lakeport command that Airflow runs on a schedule, as one DAG: its id, the command line after
 * {@code lakeport} (e.g. {@code run <job file>}), how the DAG run hands it a {@code run_date}
 * (empty: it takes none), its schedule (empty: triggered by hand only), and who is e-mailed when a
 * run fails for good (the job's run-failed subscribers on email channels), and the job's {@code
 * airflow} block (outlets as URIs the workers see). A job gives one (its export); other scheduled
 * commands of a job (retention) are more of the same.
 */
public record ScheduledCommand(
    String dagId,
    String description,
    String jobFile,
    List<String> arguments,
    Optional<RunDate> runDate,
    Optional<ScheduleSpec> schedule,
    List<String> failureEmails,
    DagSpec dag) {

  public ScheduledCommand {
    requireNonNull(dagId, "dagId is null");
    requireNonNull(description, "description is null");
    requireNonNull(jobFile, "jobFile is null");
    arguments = List.copyOf(arguments);
    requireNonNull(runDate, "runDate is null");
    requireNonNull(schedule, "schedule is null");
    failureEmails = List.copyOf(failureEmails);
    requireNonNull(dag, "dag is null");
  }

  /**
   * How Lakeport's scheduler turns a slot into a {@code run_date}, which the DAG repeats: the
   * slot's date in the job's zone, or the first day of the job's last window that ended before it.
   */
  public record RunDate(ZoneId jobZone, Window window, ScheduleSpec.RunDate rule) {
    public RunDate {
      requireNonNull(jobZone, "jobZone is null");
      requireNonNull(window, "window is null");
      requireNonNull(rule, "rule is null");
    }
  }
}
