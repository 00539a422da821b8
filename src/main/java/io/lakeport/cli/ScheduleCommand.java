package io.lakeport.cli;

import io.lakeport.history.HistoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport schedule ...}: the jobs that run by themselves, and switching a job's schedule on
 * or off at runtime (an override kept in the run history, which wins over the job file's
 * {@code enabled}).
 */
@Command(name = "schedule", description = "Schedules of the jobs in jobs/.",
    subcommands = ScheduleListCommand.class)
final class ScheduleCommand {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;

  @Command(name = "enable", description = "Let the scheduler start runs of the job, whatever its job file says.")
  int enable(@Parameters(paramLabel = "JOB", description = "The job's name.") String job) {
    try (HistoryStore history = lakeport.history()) {
      history.enable(job);
    }
    return switched(job, "enabled");
  }

  @Command(name = "disable", description = "Stop the scheduler from starting runs of the job, whatever its job file says.")
  int disable(@Parameters(paramLabel = "JOB", description = "The job's name.") String job) {
    try (HistoryStore history = lakeport.history()) {
      history.disable(job);
    }
    return switched(job, "disabled");
  }

  private int switched(String job, String state) {
    spec.commandLine().getOut().printf("job %s: %s (kept in the run history; overrides its job file)%n", job, state);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
