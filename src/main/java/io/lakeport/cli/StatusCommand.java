package io.lakeport.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.history.Alert;
import io.lakeport.history.Attempt;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Lock;
import io.lakeport.history.Notification;
import io.lakeport.history.Run;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.server.RunViews;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport status [<run-id>]}: everything the history holds about one run (its alerts too),
 * or without a run id the alerts the scheduler has open.
 */
@Command(
    name = "status",
    description =
        "Show one run: its fields, attempts, notifications and alerts; without RUN_ID, the open"
            + " alerts of every job.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Output output;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RUN_ID",
      description = "A run id, as lakeport history lists them.")
  String runId;

  @Override
  public Integer call() {
    if (runId == null) {
      return openAlerts();
    }
    Run run;
    List<Attempt> attempts;
    List<Notification> notifications;
    List<Alert> alerts;
    Optional<Lock> lock;
    try (HistoryStore history = lakeport.history()) {
      run =
          history
              .runLog()
              .run(runId)
              .orElseThrow(
                  () ->
                      new Failures.UserException(
                          "No run "
                              + runId
                              + " in the run history. lakeport history lists the runs recorded."));
      attempts = history.runLog().attempts(runId);
      notifications = history.deliveries().notifications(runId);
      alerts = history.alerts().about(runId);
      lock = history.locks().holder(run.job());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      // as GET /api/runs/<id> shows it; this process launched no run, so none is launched here
      Output.print(
          out,
          RunViews.detail(
              run,
              Optional.empty(),
              attempts,
              lock,
              false,
              notifications,
              alerts,
              RunViews.manifest(run),
              lakeport.clock().instant()));
      return 0;
    }
    printRun(out, run);
    out.println("attempts:");
    attempts.forEach(a -> printAttempt(out, a));
    if (attempts.isEmpty()) {
      out.println("  none");
    }
    out.println("notifications:");
    notifications.forEach(
        n ->
            out.printf(
                Locale.ROOT,
                "  %s  %s %s  attempt %d  %s%s%n",
                HistoryText.time(Optional.of(n.sentAt())),
                n.channel(),
                n.target(),
                n.attempt(),
                n.delivery().text(),
                n.error().map(e -> ": " + e).orElse("")));
    if (notifications.isEmpty()) {
      out.println("  none");
    }
    out.println("alerts:");
    alerts.forEach(alert -> printAlert(out, alert, false));
    if (alerts.isEmpty()) {
      out.println("  none");
    }
    out.flush();
    return 0;
  }

  /** The alerts no good run has cleared yet, oldest first. */
  private int openAlerts() {
    List<Alert> open;
    try (HistoryStore history = lakeport.history()) {
      open = history.alerts().open(Optional.empty());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("alerts", open.stream().map(RunViews::alert).toList());
      Output.print(out, document);
      return 0;
    }
    if (open.isEmpty()) {
      out.println("no open alerts");
    } else {
      out.println("open alerts:");
      open.forEach(alert -> printAlert(out, alert, true));
    }
    out.flush();
    return 0;
  }

  private static void printAlert(PrintWriter out, Alert alert, boolean withJob) {
    out.printf(
        Locale.ROOT,
        "  %s  %s%s  %s%n      %s%n",
        HistoryText.time(Optional.of(alert.openedAt())),
        withJob ? alert.job() + " " : "",
        alert.kind().text(),
        alert
            .clearedAt()
            .map(
                at ->
                    "cleared "
                        + HistoryText.time(Optional.of(at))
                        + alert.clearedBy().map(by -> " by run " + by).orElse(""))
            .orElse("open"),
        alert.detail());
  }

  private static void printRun(PrintWriter out, Run run) {
    String params =
        run.params().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
    line(out, "run", run.id());
    line(out, "job", run.job());
    line(out, "trigger", run.trigger().text());
    line(out, "slot", HistoryText.time(run.slot()));
    line(out, "status", run.status().text());
    line(out, "params", params.isEmpty() ? HistoryText.NONE : params);
    line(out, "queued", HistoryText.time(Optional.of(run.queuedAt())));
    line(out, "started", HistoryText.time(run.startedAt()));
    line(out, "finished", HistoryText.time(run.finishedAt()));
    line(out, "duration", HistoryText.duration(run.duration()));
    line(out, "rows", HistoryText.count(run.rows()));
    line(out, "bytes", HistoryText.count(run.bytes()));
    line(out, "files", HistoryText.count(run.files()));
    line(out, "manifest", run.manifest().orElse(HistoryText.NONE));
    line(
        out,
        "error",
        run.error().map(e -> e.replace("\n", "\n          ")).orElse(HistoryText.NONE));
    line(out, "schema", run.schemaDrift().map(StatusCommand::drift).orElse(HistoryText.NONE));
    run.inputs().ifPresent(json -> line(out, "inputs", inputs(json)));
  }

  /** What a run of several inputs read of each: one input a line. */
  private static String inputs(String json) {
    try {
      return StreamSupport.stream(new ObjectMapper().readTree(json).spliterator(), false)
          .map(
              input ->
                  input.path("name").asText()
                      + ": "
                      + input.path("format").asText()
                      + " "
                      + input.path("location").asText()
                      + (input.path("version").isNumber()
                          ? " version " + input.path("version").asLong()
                          : "")
                      + (input.path("rows_read").isNumber()
                          ? ", "
                              + HistoryText.count(Optional.of(input.path("rows_read").asLong()))
                              + " rows read"
                          : "")
                      + (input.path("up_to").isTextual()
                          ? ", up to " + input.path("up_to").asText()
                          : ""))
          .collect(Collectors.joining("\n          "));
    } catch (IOException e) {
      return json;
    }
  }

  /** The schema drift as the history keeps it: unchanged, or one change a line. */
  private static String drift(String json) {
    try {
      SchemaDrift drift = SchemaDrift.fromJson(json);
      if (drift.unchanged()) {
        return "unchanged since " + drift.comparedWith();
      }
      return "changed since "
          + drift.comparedWith()
          + drift.changes().stream()
              .map(change -> "\n            " + change.describe())
              .collect(Collectors.joining());
    } catch (IOException e) {
      return json;
    }
  }

  private static void printAttempt(PrintWriter out, Attempt a) {
    out.printf(
        Locale.ROOT,
        "  #%d  %s -> %s  exit %s  on %s (pid %d)%n",
        a.number(),
        HistoryText.time(Optional.of(a.startedAt())),
        HistoryText.time(a.finishedAt()),
        a.exitCode().map(String::valueOf).orElse(HistoryText.NONE),
        a.worker().host(),
        a.worker().pid());
    a.error().ifPresent(e -> out.println("      error: " + e.replace("\n", "\n      ")));
  }

  private static void line(PrintWriter out, String name, String value) {
    out.printf(Locale.ROOT, "%-10s%s%n", name, value);
  }
}
