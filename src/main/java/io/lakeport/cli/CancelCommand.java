package io.lakeport.cli;

import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lakeport cancel <run-id>}: cancels a queued run (one that has not started) in the run history. */
@Command(name = "cancel", description = "Cancel a queued run (one that has not started yet).")
final class CancelCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN_ID", description = "The run to cancel (see lakeport history).")
  String runId;

  @Override
  public Integer call() {
    try (HistoryStore history = lakeport.history()) {
      Run run = history.cancel(runId);
      spec.commandLine().getOut().printf("run %s of job %s: %s%n", run.id(), run.job(), run.status().text());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
