package io.lakeport.cli;

import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.server.RunViews;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lakeport history [--job J] [--status S] [--limit N]}: recorded runs, newest first. */
@Command(
    name = "history",
    description = "List recorded runs, newest first.",
    subcommands = HistoryPruneCommand.class)
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Output output;

  @Option(names = "--job", paramLabel = "JOB", description = "Only runs of this job (its name).")
  Optional<String> job;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description =
          "Only runs in this status: queued, running, succeeded, failed, skipped, cancelled, interrupted or lost.")
  Optional<String> status;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "Runs to show (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new Failures.UserException("--limit must be at least 1, not " + limit + ".");
    }
    RunFilter filter = new RunFilter(job, status.map(HistoryCommand::status), limit);
    List<Run> runs;
    try (HistoryStore history = lakeport.history()) {
      runs = history.runLog().runs(filter);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Instant now = lakeport.clock().instant();
      Output.print(out, Map.of("runs", runs.stream().map(r -> RunViews.summary(r, now)).toList()));
      return 0;
    }
    if (runs.isEmpty()) {
      out.println(
          "No runs recorded"
              + job.map(j -> " for job " + j).orElse("")
              + status.map(s -> " with status " + s).orElse("")
              + ".");
    } else {
      Table table =
          new Table(
              "RUN ID", "JOB", "TRIGGER", "STATUS", "STARTED", ">DURATION", ">ROWS", ">BYTES");
      for (Run run : runs) {
        table.row(
            run.id(),
            run.job(),
            run.trigger().text(),
            run.status().text(),
            HistoryText.time(run.startedAt()),
            HistoryText.duration(run.duration()),
            HistoryText.count(run.rows()),
            HistoryText.count(run.bytes()));
      }
      table.print(out);
    }
    out.flush();
    return 0;
  }

  static RunStatus status(String text) {
    return RunStatus.of(text)
        .orElseThrow(
            () ->
                new Failures.UserException(
                    "Unknown status \""
                        + text
                        + "\". Expected one of: "
                        + String.join(", ", RunStatus.texts())
                        + "."));
  }
}
