package io.lakeport.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lakeport schedule ...}: the jobs that run by themselves. */
@Command(name = "schedule", description = "Schedules of the jobs in jobs/.",
    subcommands = ScheduleListCommand.class)
final class ScheduleCommand {
  @ParentCommand Lakeport lakeport;
}
