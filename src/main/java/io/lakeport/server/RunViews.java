package io.lakeport.server;

import io.lakeport.config.Secrets;
import io.lakeport.history.Attempt;
import io.lakeport.history.Lock;
import io.lakeport.history.Notification;
import io.lakeport.history.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How runs look in the API: a summary (lists, a job's last run) and the full view with attempts,
 * progress while running, notifications and the manifest's quality results. Params are as the
 * history keeps them (secret-looking ones masked); errors are masked again on the way out. The
 * command line's {@code --output json} shows runs in the same shapes.
 */
public final class RunViews {
  private RunViews() {}

  /** A run as lists show it; {@code now} gives a running run its duration so far. */
  public static Map<String, Object> summary(Run run, Instant now) {
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
    return view;
  }

  /** The run with its attempts, its progress (while running), notifications and quality results. */
  public static Map<String, Object> detail(
      Run run,
      List<Attempt> attempts,
      Optional<Lock> lock,
      boolean launchedHere,
      List<Notification> notifications,
      Optional<Object> quality,
      Instant now) {
    Map<String, Object> view = summary(run, now);
    view.put("attempts", attempts.stream().map(RunViews::attempt).toList());
    view.put(
        "progress", run.status().ended() ? null : progress(run, attempts, lock, launchedHere, now));
    view.put("notifications", notifications.stream().map(RunViews::notification).toList());
    view.put("quality", quality.orElse(null));
    return view;
  }

  /**
   * The quality results in the run's manifest, when it is a local file this process can read (as
   * the API shows them).
   */
  public static Optional<Object> quality(Run run) {
    return RunsResource.manifest(run).map(m -> m.get("quality"));
  }

  /** A finished run's duration, or how long a running one has been going. */
  private static Optional<Duration> duration(Run run, Instant now) {
    return run.duration()
        .or(
            () ->
                run.startedAt()
                    .filter(s -> run.finishedAt().isEmpty())
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
}
