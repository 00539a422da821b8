package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.failure.ExitCode;
import io.lakeport.failure.FailureText;
import io.lakeport.history.Run;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.lifecycle.RunLogFile;
import io.lakeport.lifecycle.RunRecords;
import io.lakeport.manifest.Manifest;
import io.lakeport.run.RunResult;
import io.lakeport.server.RunViews;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code lakeport run} reports of its runs: each run's result as it ends and, for several, a
 * summary (text); or, with {@code --output json}, every run as the API shows runs (plus the export
 * and the exit code) and the backfill windows skipped as already published, in one document.
 */
final class RunResults {
  private final Output output;
  private final PrintWriter out;
  private final Clock clock;
  private final Path logs;
  private final List<Ended> ended = new ArrayList<>();
  private final List<Map<String, Object>> runs = new ArrayList<>();
  private final List<Map<String, Object>> alreadyPublished = new ArrayList<>();

  /** How one run of several ended, for the summary. */
  private record Ended(String job, String runId, String outcome, long rows, int exitCode) {}

  RunResults(Output output, PrintWriter out, Clock clock, Path logs) {
    this.output = output;
    this.out = out;
    this.clock = clock;
    this.logs = logs;
  }

  /** The log file the run wrote, as its history record names it. */
  private Optional<String> logFile(JobSpec job, String runId) {
    return RunLogFile.place(logs, job.name(), runId).filter(Files::exists).map(Path::toString);
  }

  /** A backfill window left alone: published before, by the run whose manifest is named. */
  void alreadyPublished(JobSpec job, String published) {
    Object window = job.params().get(JobLoader.WINDOW_START).value();
    if (output.json()) {
      Map<String, Object> view = JsonDocument.object();
      view.put("job", job.name());
      view.put("window_start", String.valueOf(window));
      view.put("published", published);
      alreadyPublished.add(view);
      return;
    }
    out.printf(
        Locale.ROOT,
        "job %s window %s: already published (%s); --force runs it again%n",
        job.name(),
        window,
        published);
    out.flush();
  }

  /** A run that ended without failing: published, or skipped for having no rows. */
  void ended(JobSpec job, Trigger trigger, RunResult result) {
    Manifest m = result.manifest();
    ended.add(
        new Ended(
            FanOut.label(job),
            m.runId(),
            result.status().name().toLowerCase(Locale.ROOT),
            m.totals().rows(),
            0));
    if (!output.json()) {
      RunCommand.report(out, result);
      return;
    }
    boolean published = result.status() == RunResult.Status.PUBLISHED;
    Instant started = Instant.parse(m.startedAt());
    Run run =
        new Run(
            m.runId(),
            job.name(),
            Optional.empty(),
            trigger,
            RunRecords.maskedParams(job),
            published ? RunStatus.SUCCEEDED : RunStatus.SKIPPED,
            started,
            Optional.of(started),
            Optional.of(Instant.parse(m.finishedAt())),
            Optional.of(published ? m.totals().rows() : 0L),
            Optional.of(published ? m.totals().bytes() : 0L),
            Optional.of(published ? m.totals().files() : 0L),
            result.manifestPath(),
            Optional.empty(),
            logFile(job, m.runId()),
            Optional.empty(),
            Optional.empty());
    runs.add(view(run, job, ExitCode.OK.code()));
  }

  /** A run of several that failed (its failure already printed on stderr). */
  void failed(JobSpec job, String runId, Trigger trigger, Instant started, Throwable e, int code) {
    ended.add(new Ended(FanOut.label(job), runId, "failed", 0, code));
    Run run =
        new Run(
            runId,
            job.name(),
            Optional.empty(),
            trigger,
            RunRecords.maskedParams(job),
            RunStatus.FAILED,
            started,
            Optional.of(started),
            Optional.of(clock.instant()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(FailureText.firstLineOf(e)),
            logFile(job, runId),
            Optional.empty(),
            Optional.empty());
    runs.add(view(run, job, code));
  }

  private Map<String, Object> view(Run run, JobSpec job, int exitCode) {
    Map<String, Object> view = RunViews.summary(run, clock.instant());
    view.put("export", RunViews.export(run));
    view.put("exit_code", exitCode);
    return view;
  }

  /** Prints the summary of several runs, or the JSON document. */
  void finish(boolean several) {
    if (output.json()) {
      Map<String, Object> document = JsonDocument.object();
      document.put("exit_code", exitCode());
      document.put("runs", runs);
      document.put("already_published", alreadyPublished);
      Output.print(out, document);
    } else if (several) {
      Table table = new Table("JOB", "RUN", "OUTCOME", ">ROWS", ">EXIT");
      ended.forEach(
          e ->
              table.row(
                  e.job(),
                  e.runId(),
                  e.outcome(),
                  String.format(Locale.ROOT, "%,d", e.rows()),
                  String.valueOf(e.exitCode())));
      table.print(out);
      out.flush();
    }
  }

  /**
   * A run of a backfill that was not started: a job it waits for ({@code schedule.after}) failed
   * for its window in this backfill (the reason is printed on stderr).
   */
  void notRun(JobSpec job) {
    ended.add(new Ended(FanOut.label(job), "-", "not run", 0, ExitCode.EXTERNAL.code()));
  }

  /** The worst exit code of the runs. */
  int exitCode() {
    return ended.stream().mapToInt(Ended::exitCode).reduce(0, ExitCode::worse);
  }
}
