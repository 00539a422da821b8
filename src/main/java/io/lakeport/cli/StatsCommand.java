package io.lakeport.cli;

import io.lakeport.history.HistoryStore;
import io.lakeport.history.JobStats;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport stats [--job J] [--since 30d]}: per job, the runs queued in the period, success
 * rate, median and 95th percentile duration, rows and bytes per published run.
 */
@Command(
    name = "stats",
    description = "Per job: runs, success rate, median and p95 duration, rows and bytes per run.")
final class StatsCommand implements Callable<Integer> {
  private static final Pattern PERIOD = Pattern.compile("(\\d+)([mhdw])");

  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Output output;

  @Option(names = "--job", paramLabel = "JOB", description = "Only this job (its name).")
  Optional<String> job;

  @Option(
      names = "--since",
      paramLabel = "PERIOD|DATE",
      defaultValue = "30d",
      description =
          "Runs queued in the last PERIOD (90m, 12h, 30d, 2w) or since DATE (2026-11-01, UTC); default ${DEFAULT-VALUE}.")
  String since;

  @Override
  public Integer call() {
    Instant from = since(since, Clock.systemUTC());
    List<JobStats> stats;
    try (HistoryStore history = lakeport.history()) {
      stats = history.runLog().stats(job, from);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> document = JsonDocument.object();
      document.put("since", JsonDocument.time(from));
      document.put("jobs", stats.stream().map(StatsCommand::json).toList());
      Output.print(out, document);
      return 0;
    }
    if (stats.isEmpty()) {
      out.println(
          "No runs recorded" + job.map(j -> " for job " + j).orElse("") + " since " + from + ".");
    } else {
      out.println("Runs queued since " + from + ":");
      Table table =
          new Table(
              "JOB",
              ">RUNS",
              ">SUCCEEDED",
              ">FAILED",
              ">SUCCESS",
              ">MEDIAN",
              ">P95",
              ">ROWS/RUN",
              ">BYTES/RUN");
      for (JobStats s : stats) {
        table.row(
            s.job(),
            String.valueOf(s.runs()),
            String.valueOf(s.succeeded()),
            String.valueOf(s.failed()),
            HistoryText.percent(s.successRate()),
            HistoryText.duration(s.medianDuration()),
            HistoryText.duration(s.p95Duration()),
            HistoryText.count(s.rowsPerRun()),
            HistoryText.count(s.bytesPerRun()));
      }
      table.print(out);
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> json(JobStats stats) {
    Map<String, Object> view = JsonDocument.object();
    view.put("job", stats.job());
    view.put("runs", stats.runs());
    view.put("succeeded", stats.succeeded());
    view.put("failed", stats.failed());
    view.put("success_rate", JsonDocument.number(stats.successRate()));
    view.put("median_duration_ms", JsonDocument.millis(stats.medianDuration()));
    view.put("p95_duration_ms", JsonDocument.millis(stats.p95Duration()));
    view.put("rows_per_run", JsonDocument.number(stats.rowsPerRun()));
    view.put("bytes_per_run", JsonDocument.number(stats.bytesPerRun()));
    return view;
  }

  /**
   * The start of the period: now less a period such as {@code 30d}, or the start of a date (UTC).
   */
  static Instant since(String text, Clock clock) {
    Matcher period = PERIOD.matcher(text);
    if (period.matches()) {
      long n = Long.parseLong(period.group(1));
      Duration length =
          switch (period.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> throw new IllegalStateException("the pattern allows m, h, d and w only");
          };
      return clock.instant().minus(length);
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeException e) {
      throw new Failures.UserException(
          String.format(
              Locale.ROOT,
              "--since: expected a period such as 30d, 12h or 2w,"
                  + " or a date such as 2026-11-01, found \"%s\".",
              text));
    }
  }
}
