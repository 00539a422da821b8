package io.lakeport.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lakeport scheduler ...}: the process that runs the jobs' schedules. */
@Command(
    name = "scheduler",
    description = "The process that runs the schedules of the jobs in jobs/.",
    subcommands = SchedulerStartCommand.class)
final class SchedulerCommand {
  @ParentCommand Lakeport lakeport;
}
