package io.lakeport.cli;

import io.lakeport.history.Attempt;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Lock;
import io.lakeport.history.Run;
import io.lakeport.history.Worker;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport cancel <run-id>}: cancels a queued run at once, and asks the scheduler running a
 * running run to stop it: the request goes into the shared run history, where that scheduler (in
 * another process, maybe on another host) finds it at its next pass and records the run cancelled
 * with who asked. Ended runs, and runs going on outside the scheduler, are refused with the reason.
 */
@Command(
    name = "cancel",
    description = "Cancel a queued run, or ask the scheduler running a run to stop it.")
final class CancelCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN_ID", description = "The run to cancel (see lakeport history).")
  String runId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (HistoryStore history = lakeport.history()) {
      Run run =
          history
              .runLog()
              .run(runId)
              .orElseThrow(
                  () ->
                      new Failures.UserException(
                          "No run "
                              + runId
                              + " in the run history. lakeport history lists the runs recorded."));
      switch (run.status()) {
        case QUEUED ->
            out.printf(
                "run %s of job %s: %s%n",
                runId, run.job(), history.runLog().cancel(runId).status().text());
        case RUNNING ->
            out.printf(
                "run %s of job %s: cancel requested; scheduler %s stops it at its next pass"
                    + " (lakeport status %s shows how it ended)%n",
                runId, run.job(), request(history, run).owner(), runId);
        case SUCCEEDED, FAILED, SKIPPED, CANCELLED, INTERRUPTED ->
            throw new Failures.UserException(
                "Cannot cancel run " + runId + ": it has ended (" + run.status().text() + ").");
      }
      out.flush();
      return 0;
    }
  }

  /** Records the request for the scheduler holding the run's lock, and returns that lock. */
  private Lock request(HistoryStore history, Run run) {
    Optional<Lock> lock =
        history.locks().holder(run.job()).filter(held -> held.runId().equals(runId));
    if (lock.isEmpty()) {
      List<Attempt> attempts = history.runLog().attempts(runId);
      String where =
          attempts.isEmpty()
              ? ""
              : " (pid "
                  + attempts.get(attempts.size() - 1).worker().pid()
                  + " on "
                  + attempts.get(attempts.size() - 1).worker().host()
                  + ")";
      throw new Failures.UserException(
          "Cannot cancel run "
              + runId
              + ": no scheduler runs it; it runs in a lakeport run"
              + " process"
              + where
              + ". Stop that process (Ctrl-C, or kill with its pid).");
    }
    history.runLog().requestCancel(runId, requester());
    return lock.get();
  }

  /** Who asks: the user and host, and the command, for the run's record. */
  static String requester() {
    return System.getProperty("user.name") + "@" + Worker.current().host() + " (lakeport cancel)";
  }
}
