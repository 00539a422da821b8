package io.lakeport.cli;

import io.lakeport.history.HistoryStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport schedule ...}: the jobs that run by themselves, and switching a job's schedule on
 * or off at runtime (an override kept in the run history, which wins over the job file's {@code
 * enabled}).
 */
@Command(
    name = "schedule",
    description = "Schedules of the jobs in jobs/.",
    subcommands = {
      ScheduleListCommand.class,
      ScheduleCommand.EnableCommand.class,
      ScheduleCommand.DisableCommand.class
    })
final class ScheduleCommand {
  @ParentCommand Lakeport lakeport;

  /** Switches a job's schedule on or off: an override in the run history. */
  abstract static class SwitchCommand implements Callable<Integer> {
    @ParentCommand ScheduleCommand schedule;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job's name.")
    String job;

    /** Whether the command switches the job on. */
    abstract boolean on();

    @Override
    public Integer call() {
      try (HistoryStore history = schedule.lakeport.history()) {
        schedule.requireKnown(job, history);
        if (on()) {
          history.schedules().enable(job);
        } else {
          history.schedules().disable(job);
        }
      }
      spec.commandLine()
          .getOut()
          .printf(
              "job %s: %s (kept in the run history; overrides its job file)%n",
              job, on() ? "enabled" : "disabled");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "enable",
      description = "Let the scheduler start runs of the job, whatever its job file says.")
  static final class EnableCommand extends SwitchCommand {
    @Override
    boolean on() {
      return true;
    }
  }

  @Command(
      name = "disable",
      description = "Stop the scheduler from starting runs of the job, whatever its job file says.")
  static final class DisableCommand extends SwitchCommand {
    @Override
    boolean on() {
      return false;
    }
  }

  /**
   * Refuses, before anything is stored, a name that neither a job in jobs/ schedules nor the run
   * history knows (a scheduler started with job files from elsewhere records their runs there).
   */
  private void requireKnown(String job, HistoryStore history) {
    Path folder = Lakeport.home().resolve("jobs");
    JobCatalog catalog = JobCatalog.load(lakeport.loader(), JobFiles.expand(List.of(folder)));
    Set<String> known = new TreeSet<>(catalog.scheduledNames());
    if (!known.contains(job)) {
      known.addAll(history.runLog().jobs());
    }
    JobCatalog.requireKnown(
        job,
        List.copyOf(known),
        "scheduled job",
        "the scheduled jobs in "
            + folder
            + " and the jobs in the run history"
            + (catalog.problems().isEmpty()
                ? ""
                : "; some job files there do not load: run lakeport validate"));
  }
}
