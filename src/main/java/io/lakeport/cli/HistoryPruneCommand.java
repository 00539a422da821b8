package io.lakeport.cli;

import io.lakeport.history.HistoryStore;
import io.lakeport.history.Pruned;
import io.lakeport.history.RunLogFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport history prune --older-than 90d [--dry-run]}: deletes the runs that ended longer
 * ago than that, with their attempts, notification deliveries and log files, and says what went, by
 * job. The scheduler does the same by itself with {@code lakeport.history.keep}.
 */
@Command(
    name = "prune",
    description = {
      "Delete the runs that ended (succeeded, failed, skipped, cancelled, interrupted, lost) longer"
          + " ago than --older-than, with their attempts, notification deliveries and log files"
          + " (under lakeport.logs), and print what went by job.",
      "Queued, running and retry-waiting runs, runs named by a job lock or an export lease, and each"
          + " job's run of its newest slot are kept; the counters of /metrics keep counting. The"
          + " scheduler prunes by itself after lakeport.history.keep (default 90d)."
    })
final class HistoryPruneCommand implements Callable<Integer> {
  @ParentCommand HistoryCommand history;
  @Spec CommandSpec spec;

  @Option(
      names = "--older-than",
      required = true,
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Delete runs that ended longer ago than this, e.g. 90d, 12h.")
  Duration olderThan;

  @Option(names = "--dry-run", description = "Print what would be deleted; delete nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    if (olderThan.isZero()) {
      throw new Failures.UserException(
          "--older-than must be longer than zero (e.g. 90d): 0 would delete every ended run.");
    }
    Instant before = Clock.systemUTC().instant().minus(olderThan);
    Pruned pruned;
    try (HistoryStore store = history.lakeport.history()) {
      pruned = dryRun ? store.runLog().prunable(before) : store.runLog().prune(before);
    }
    Path logs = history.lakeport.site().logs();
    long logFiles =
        dryRun
            ? RunLogFiles.under(logs, pruned.logFiles()).size()
            : RunLogFiles.delete(logs, pruned.logFiles());
    print(pruned, logFiles, spec.commandLine().getOut());
    return 0;
  }

  private void print(Pruned pruned, long logFiles, PrintWriter out) {
    String before = HistoryText.time(Optional.of(pruned.before()));
    if (pruned.runs() == 0) {
      out.println("No runs to delete: none ended before " + before + ".");
      out.flush();
      return;
    }
    out.println(
        (dryRun ? "Would delete " : "Deleted ")
            + plural(pruned.runs(), "run")
            + " that ended before "
            + before
            + ", with "
            + plural(pruned.attempts(), "attempt")
            + " and "
            + plural(pruned.notifications(), "notification delivery", "notification deliveries")
            + ", and "
            + plural(logFiles, "log file")
            + (dryRun ? " (--dry-run: nothing deleted)." : "."));
    Table table = new Table("JOB", ">RUNS");
    pruned.byJob().forEach(job -> table.row(job.job(), HistoryText.count(Optional.of(job.runs()))));
    table.print(out);
    out.flush();
  }

  private static String plural(long count, String one) {
    return plural(count, one, one + "s");
  }

  private static String plural(long count, String one, String many) {
    return HistoryText.count(Optional.of(count)) + " " + (count == 1 ? one : many);
  }
}
