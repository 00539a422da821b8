package io.lakeport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.config.Secrets;
import io.lakeport.history.Alert;
import io.lakeport.history.Attempt;
import io.lakeport.history.Lock;
import io.lakeport.history.Notification;
import io.lakeport.history.Run;
import io.lakeport.history.RunStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How runs look in the API: a summary (lists, a job's last run) and the full view with attempts,
 * progress while running, notifications, the manifest's quality results and the schema drift.
 * Params are as the history keeps them (secret-looking ones masked); errors are masked again on the
 * way out. The command line's {@code --output json} shows runs in the same shapes.
 */
public final class RunViews {
  private RunViews() {}

  /** A run as lists show it; {@code now} gives a running run its duration so far. */
  public static Map<String, Object> summary(Run run, Instant now) {
    return summary(run, now, Optional.empty());
  }

  /**
   * The summary of a run that may be waiting for its next attempt: queued again after a failure,
   * not to start before {@code notBefore} (its last error is kept until that attempt starts).
   */
  public static Map<String, Object> summary(Run run, Instant now, Optional<Instant> notBefore) {
    Map<String, Object> view = Json.object();
    view.put("id", run.id());
    view.put("job", run.job());
    view.put("trigger", run.trigger().text());
    view.put("status", run.status().text());
    view.put("slot", Json.time(run.slot()));
    view.put("params", run.params());
    view.put("queued_at", Json.time(run.queuedAt()));
    view.put("started_at", Json.time(run.startedAt()));
    view.put("finished_at", Json.time(run.finishedAt()));
    view.put("duration_seconds", duration(run, now).map(Json::seconds).orElse(null));
    view.put("duration_ms", duration(run, now).map(Duration::toMillis).orElse(null));
    view.put("rows", run.rows().orElse(null));
    view.put("bytes", run.bytes().orElse(null));
    view.put("files", run.files().orElse(null));
    view.put("manifest", run.manifest().orElse(null));
    view.put(
        "manifest_url",
        run.manifest().map(m -> "/api/runs/" + run.id() + "/manifest").orElse(null));
    view.put("error", run.error().map(Secrets::maskUrl).orElse(null));
    view.put("log_file", run.logFile().orElse(null));
    view.put("log_url", run.logFile().map(f -> "/api/runs/" + run.id() + "/log").orElse(null));
    view.put(
        "next_attempt_at",
        notBefore.filter(t -> run.status() == RunStatus.QUEUED).map(Json::time).orElse(null));
    return view;
  }

  /** The run with its attempts, its progress (while running), notifications and quality results. */
  public static Map<String, Object> detail(
      Run run,
      Optional<Instant> notBefore,
      List<Attempt> attempts,
      Optional<Lock> lock,
      boolean launchedHere,
      List<Notification> notifications,
      List<Alert> alerts,
      Optional<JsonNode> manifest,
      Instant now) {
    Map<String, Object> view = summary(run, now, notBefore);
    view.put("attempts", attempts.stream().map(RunViews::attempt).toList());
    view.put(
        "progress", run.status().ended() ? null : progress(run, attempts, lock, launchedHere, now));
    view.put("notifications", notifications.stream().map(RunViews::notification).toList());
    view.put("quality", manifest.map(m -> m.get("quality")).orElse(null));
    view.put("export", manifest.map(RunViews::export).orElse(null));
    view.put("schema_drift", run.schemaDrift().flatMap(RunViews::drift).orElse(null));
    view.put("inputs", run.inputs().flatMap(RunViews::drift).orElse(null));
    view.put("alerts", alerts.stream().map(RunViews::alert).toList());
    return view;
  }

  /** JSON the history keeps (a schema drift, inputs); empty when it cannot be read. */
  private static Optional<JsonNode> drift(String json) {
    try {
      return Optional.of(Json.MAPPER.readTree(json));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * What the manifest says of the export: where (the sink's path), how (format and mode), how many
   * partitions, the window, and how many rows the source gave; the history has rows, bytes and
   * files.
   */
  private static Map<String, Object> export(JsonNode manifest) {
    Map<String, Object> view = Json.object();
    JsonNode sink = manifest.path("sink");
    view.put("path", text(sink.path("path")));
    view.put("format", text(sink.path("format")));
    view.put("mode", text(sink.path("mode")));
    JsonNode partitions = manifest.path("partitions");
    view.put("partitions", partitions.isArray() ? partitions.size() : null);
    JsonNode window = manifest.path("window");
    view.put("window_start", text(window.path("start")));
    view.put("window_end", text(window.path("end")));
    JsonNode read = manifest.path("totals").path("rows_read");
    view.put("rows_read", read.isNumber() ? read.asLong() : null);
    return view;
  }

  private static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  /**
   * What the run's manifest says of its export (as a run's detail shows it), or null when the
   * manifest cannot be read here.
   */
  public static Map<String, Object> export(Run run) {
    return RunsResource.manifest(run).map(RunViews::export).orElse(null);
  }

  /** The run's manifest, when it is a local file this process can read (as the API reads it). */
  public static Optional<JsonNode> manifest(Run run) {
    return RunsResource.manifest(run);
  }

  /** A finished run's duration, or how long a running one has been going. */
  private static Optional<Duration> duration(Run run, Instant now) {
    return run.duration()
        .or(
            () ->
                run.startedAt()
                    .filter(s -> run.status() == RunStatus.RUNNING)
                    .map(s -> Duration.between(s, now)));
  }

  /**
   * What is known of a run that has not ended: queued (since when, which attempt is next) or
   * running (its attempt, since when, how long, the lock's last heartbeat and owner, and whether
   * this scheduler launched it, which is when it can be cancelled here).
   */
  private static Map<String, Object> progress(
      Run run, List<Attempt> attempts, Optional<Lock> lock, boolean launchedHere, Instant now) {
    Map<String, Object> view = Json.object();
    Optional<Attempt> current =
        attempts.isEmpty()
            ? Optional.empty()
            : Optional.of(attempts.get(attempts.size() - 1)).filter(a -> a.finishedAt().isEmpty());
    view.put("state", run.status().text());
    view.put("attempt", current.map(Attempt::number).orElse(attempts.size() + 1));
    view.put("attempt_started_at", current.map(a -> Json.time(a.startedAt())).orElse(null));
    view.put(
        "elapsed_seconds",
        current.map(a -> Json.seconds(Duration.between(a.startedAt(), now))).orElse(null));
    Optional<Lock> held = lock.filter(l -> l.runId().equals(run.id()));
    view.put("heartbeat_at", held.map(l -> Json.time(l.heartbeatAt())).orElse(null));
    view.put("owner", held.map(Lock::owner).orElse(null));
    view.put("launched_here", launchedHere);
    return view;
  }

  private static Map<String, Object> attempt(Attempt attempt) {
    Map<String, Object> view = Json.object();
    view.put("number", attempt.number());
    view.put("started_at", Json.time(attempt.startedAt()));
    view.put("finished_at", Json.time(attempt.finishedAt()));
    view.put("exit_code", attempt.exitCode().orElse(null));
    view.put("error", attempt.error().map(Secrets::maskUrl).orElse(null));
    view.put("host", attempt.worker().host());
    view.put("pid", attempt.worker().pid());
    return view;
  }

  private static Map<String, Object> notification(Notification notification) {
    Map<String, Object> view = Json.object();
    view.put("channel", notification.channel());
    view.put("target", notification.target());
    view.put("attempt", notification.attempt());
    view.put("delivery", notification.delivery().text());
    view.put("error", notification.error().map(Secrets::maskUrl).orElse(null));
    view.put("sent_at", Json.time(notification.sentAt()));
    return view;
  }

  /** An alert as the API, the page and {@code lakeport status} show it. */
  public static Map<String, Object> alert(Alert alert) {
    Map<String, Object> view = Json.object();
    view.put("job", alert.job());
    view.put("kind", alert.kind().text());
    view.put("level", alert.kind().level().text());
    view.put("window", alert.window());
    view.put("run_id", alert.runId().orElse(null));
    view.put("logical_date", alert.logicalDate().orElse(null));
    view.put("opened_at", Json.time(alert.openedAt()));
    view.put("detail", alert.detail());
    view.put("cleared_at", Json.time(alert.clearedAt()));
    view.put("cleared_by", alert.clearedBy().orElse(null));
    return view;
  }
}
