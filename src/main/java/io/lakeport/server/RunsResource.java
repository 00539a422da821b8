package io.lakeport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.history.HistoryException;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.QueuedRun;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.run.RunId;
import io.lakeport.schedule.Scheduler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/runs}: runs newest first, filtered by job and status; one run with its attempts,
 * progress, notifications and quality results; cancelling one; and its manifest. Manifests are read
 * where the scheduler can read them as files ({@code file:} or plain paths); one in object storage
 * is named but not shown.
 */
final class RunsResource {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;
  static final int DEFAULT_TAIL = 200;
  static final int MAX_TAIL = 10_000;

  /** The most of a log file's end read for a tail, whatever the lines' length. */
  static final int MAX_TAIL_BYTES = 4 << 20;

  private static final Set<String> QUERY = Set.of("job", "status", "limit");

  private final HistoryStore store;
  private final Scheduler scheduler;
  private final Clock clock;

  RunsResource(HistoryStore store, Scheduler scheduler, Clock clock) {
    this.store = store;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** {@code ?job=&status=&limit=}, every value checked. */
  Map<String, Object> list(Map<String, String> query) {
    query.keySet().stream()
        .filter(key -> !QUERY.contains(key))
        .findFirst()
        .ifPresent(
            key -> {
              throw ApiErrors.badRequest(
                  "Unknown query parameter \"" + key + "\". Expected: job, status, limit.");
            });
    Optional<String> job = Optional.ofNullable(query.get("job")).filter(j -> !j.isEmpty());
    Optional<RunStatus> status =
        Optional.ofNullable(query.get("status"))
            .filter(s -> !s.isEmpty())
            .map(
                text ->
                    RunStatus.of(text)
                        .orElseThrow(
                            () ->
                                ApiErrors.badRequest(
                                    "status: unknown value \""
                                        + text
                                        + "\". Expected one of: "
                                        + String.join(", ", RunStatus.texts())
                                        + ".")));
    int limit =
        Optional.ofNullable(query.get("limit")).map(RunsResource::limit).orElse(DEFAULT_LIMIT);
    Instant now = clock.instant();
    Map<String, Object> view = Json.object();
    view.put("now", Json.time(now));
    Map<String, Instant> waiting = retriesWaiting();
    view.put(
        "runs",
        store.runLog().runs(new RunFilter(job, status, limit)).stream()
            .map(run -> RunViews.summary(run, now, Optional.ofNullable(waiting.get(run.id()))))
            .toList());
    return view;
  }

  Map<String, Object> run(String runId) {
    Run run = find(runId);
    return RunViews.detail(
        run,
        Optional.ofNullable(retriesWaiting().get(runId)),
        store.runLog().attempts(runId),
        store.locks().holder(run.job()),
        scheduler.running().contains(runId),
        store.deliveries().notifications(runId),
        store.alerts().about(runId),
        manifest(run),
        clock.instant());
  }

  /**
   * The queued runs that must not start before a time (retries waiting out their backoff), by run
   * id: the queue is short, and this keeps the history's run record as it is.
   */
  private Map<String, Instant> retriesWaiting() {
    Map<String, Instant> waiting = new HashMap<>();
    for (QueuedRun queued : store.runLog().queued()) {
      queued.notBefore().ifPresent(time -> waiting.put(queued.run().id(), time));
    }
    return waiting;
  }

  /**
   * Cancels a queued run, or stops a running one this scheduler launched (answered with {@code
   * cancelling}: the next pass records it cancelled). Ended runs, and runs going in another
   * process, are a conflict.
   */
  Map<String, Object> cancel(String runId) {
    Run run = find(runId);
    if (run.status().ended()) {
      throw ApiErrors.conflict(
          "Cannot cancel run " + runId + ": it has ended (" + run.status().text() + ").");
    }
    if (run.status() == RunStatus.RUNNING && !scheduler.running().contains(runId)) {
      throw ApiErrors.conflict(
          "Cannot cancel run "
              + runId
              + ": it is running in another process (not launched by"
              + " this scheduler). Cancel it where it runs.");
    }
    Scheduler.Cancellation done;
    try {
      done = scheduler.cancel(runId);
    } catch (HistoryException e) {
      // it moved on between the check and the cancel (it started, or ended)
      throw ApiErrors.conflict(e.getMessage());
    }
    Map<String, Object> view =
        RunViews.summary(store.runLog().run(runId).orElseThrow(), clock.instant());
    view.put(
        "cancellation",
        switch (done) {
          case CANCELLED -> "cancelled";
          case STOPPING -> "stopping";
        });
    return view;
  }

  /** The run's manifest as written, when the scheduler can read it. */
  JsonNode manifestOf(String runId) {
    Run run = find(runId);
    if (run.manifest().isEmpty()) {
      throw ApiErrors.noManifest(runId, "it published none (" + run.status().text() + ")");
    }
    return manifest(run)
        .orElseThrow(
            () ->
                ApiErrors.noManifest(
                    runId,
                    "it is at "
                        + run.manifest().get()
                        + ", which this process cannot read as a file"));
  }

  /**
   * The last lines ({@code ?tail=N}, default {@value #DEFAULT_TAIL}, at most {@value #MAX_TAIL}) of
   * the run's log file, which only the history names: nothing from the request reaches the file
   * system but a run id that is valid and in the history.
   */
  String logTail(String runId, Map<String, String> query) {
    query.keySet().stream()
        .filter(key -> !key.equals("tail"))
        .findFirst()
        .ifPresent(
            key -> {
              throw ApiErrors.badRequest(
                  "Unknown query parameter \"" + key + "\". Expected: tail.");
            });
    int lines = Optional.ofNullable(query.get("tail")).map(RunsResource::tail).orElse(DEFAULT_TAIL);
    if (!RunId.isValid(runId)) {
      throw ApiErrors.noRun(runId);
    }
    Run run = find(runId);
    Path file =
        run.logFile()
            .flatMap(RunsResource::localPath)
            .orElseThrow(
                () ->
                    ApiErrors.noLog(
                        runId,
                        "the history names none (the run has not started, or ran before runs"
                            + " had log files)"));
    try {
      return LogTail.of(file, lines, MAX_TAIL_BYTES);
    } catch (NoSuchFileException e) {
      throw ApiErrors.noLog(runId, "its log file " + file + " is gone");
    } catch (IOException e) {
      throw ApiErrors.noLog(runId, "cannot read its log file " + file + ": " + e.getMessage());
    }
  }

  private static int tail(String text) {
    try {
      int lines = Integer.parseInt(text);
      if (lines >= 1 && lines <= MAX_TAIL) {
        return lines;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiErrors.badRequest(
        "tail: expected a whole number from 1 to " + MAX_TAIL + ", found \"" + text + "\".");
  }

  private Run find(String runId) {
    return store.runLog().run(runId).orElseThrow(() -> ApiErrors.noRun(runId));
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiErrors.badRequest(
        "limit: expected a whole number from 1 to " + MAX_LIMIT + ", found \"" + text + "\".");
  }

  /** The manifest of a run as JSON, when it is a local file this process can read. */
  static Optional<JsonNode> manifest(Run run) {
    return run.manifest()
        .flatMap(RunsResource::localPath)
        .flatMap(
            path -> {
              try (InputStream in = Files.newInputStream(path)) {
                return Optional.of(Json.MAPPER.readTree(in));
              } catch (IOException e) {
                // gone (retention), unreadable or not JSON: the run still shows,
                // just without quality results
                return Optional.empty();
              }
            });
  }

  /**
   * {@code file:/a/b}, {@code file:a/b} or a plain path as a path; empty for other schemes (s3a:,
   * hdfs:).
   */
  static Optional<Path> localPath(String location) {
    if (location.startsWith("file://")) {
      return Optional.of(Path.of(URI.create(location)));
    }
    if (location.startsWith("file:")) {
      return Optional.of(Path.of(location.substring("file:".length())));
    }
    return location.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")
        ? Optional.empty()
        : Optional.of(Path.of(location));
  }
}
