package io.lakeport.notify;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.EventType;
import io.lakeport.history.Alert;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.manifest.SchemaDrift;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Something worth telling people about a run of a job: its type (which decides the level), the
 * run's id, logical date, status and attempts, and as far as they are known what it wrote ({@link
 * Output}), its error, what retention removed ({@link Retention}), the slot a scheduler missed or
 * how the output's schema changed ({@link SchemaDrift}), or the alert the scheduler raised ({@link
 * Alert}). Built with the factories; {@link Notifier#publish} sends it.
 */
public record Event(
    EventType type,
    String job,
    String runId,
    Instant occurredAt,
    Optional<String> logicalDate,
    String status,
    int attempts,
    Optional<Duration> duration,
    Optional<Output> output,
    Optional<String> error,
    Optional<Retention> retention,
    Optional<Instant> slot,
    Optional<SchemaDrift> schemaDrift,
    Optional<Alert> alert) {

  public Event {
    requireNonNull(type, "type is null");
    requireNonNull(job, "job is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(occurredAt, "occurredAt is null");
    requireNonNull(logicalDate, "logicalDate is null");
    requireNonNull(status, "status is null");
    requireNonNull(duration, "duration is null");
    requireNonNull(output, "output is null");
    requireNonNull(error, "error is null");
    requireNonNull(retention, "retention is null");
    requireNonNull(slot, "slot is null");
    requireNonNull(schemaDrift, "schemaDrift is null");
    requireNonNull(alert, "alert is null");
  }

  /** A run that published its export (or, with on-empty = skip, published nothing and said so). */
  public static Event succeeded(
      Manifest manifest, Optional<String> manifestLocation, int attempts, Instant at) {
    return new Event(
        EventType.RUN_SUCCEEDED,
        manifest.job(),
        manifest.runId(),
        at,
        logicalDate(manifest),
        manifestLocation.isPresent() ? "succeeded" : "skipped",
        attempts,
        Optional.of(Duration.ofMillis(manifest.durationMs())),
        Optional.of(Output.of(manifest, manifestLocation)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A run whose quality rules warned: the same facts as {@link #succeeded}, another type. */
  public static Event qualityWarning(
      Manifest manifest, Optional<String> manifestLocation, int attempts, Instant at) {
    Event succeeded = succeeded(manifest, manifestLocation, attempts, at);
    return new Event(
        EventType.QUALITY_WARNING,
        succeeded.job,
        succeeded.runId,
        at,
        succeeded.logicalDate,
        succeeded.status,
        attempts,
        succeeded.duration,
        succeeded.output,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A run that failed for good: after its last retry (or at once, for a run by hand). */
  public static Event failed(
      String job,
      String runId,
      Optional<String> logicalDate,
      int attempts,
      Optional<Duration> duration,
      String error,
      Instant at) {
    return new Event(
        EventType.RUN_FAILED,
        job,
        runId,
        at,
        logicalDate,
        "failed",
        attempts,
        duration,
        Optional.empty(),
        Optional.of(error),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Retention removed or archived exports of the job; {@code runId} names the run it acted for. */
  public static Event retentionApplied(String job, String runId, Retention retention, Instant at) {
    return new Event(
        EventType.RETENTION_APPLIED,
        job,
        runId,
        at,
        Optional.empty(),
        "applied",
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(retention),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A scheduled run that was skipped: its slot was missed, or its execution window closed. */
  public static Event scheduleMissed(
      String job,
      String runId,
      Optional<Instant> slot,
      Optional<String> logicalDate,
      String reason,
      Instant at) {
    return skipped(EventType.SCHEDULE_MISSED, job, runId, slot, logicalDate, reason, at);
  }

  /**
   * A scheduled run that was skipped because its upstream jobs had not published its window in time
   * ({@code schedule.after}, {@code schedule.upstream-timeout}).
   */
  public static Event upstreamLate(
      String job,
      String runId,
      Optional<Instant> slot,
      Optional<String> logicalDate,
      String reason,
      Instant at) {
    return skipped(EventType.UPSTREAM_LATE, job, runId, slot, logicalDate, reason, at);
  }

  private static Event skipped(
      EventType type,
      String job,
      String runId,
      Optional<Instant> slot,
      Optional<String> logicalDate,
      String reason,
      Instant at) {
    return new Event(
        type,
        job,
        runId,
        at,
        logicalDate,
        "skipped",
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.of(reason),
        Optional.empty(),
        slot,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * The output schema changed in a way the job's policy warns about or refuses: {@code status} is
   * succeeded (published, with {@code output}) or failed (nothing published).
   */
  public static Event schemaChanged(
      String job,
      String runId,
      Optional<String> logicalDate,
      String status,
      SchemaDrift drift,
      Optional<Output> output,
      Instant at) {
    return new Event(
        EventType.SCHEMA_CHANGED,
        job,
        runId,
        at,
        logicalDate,
        status,
        1,
        Optional.empty(),
        output,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(drift),
        Optional.empty());
  }

  /** The published run's schema-changed event, when its manifest records a change worth one. */
  public static Optional<Event> schemaChanged(
      Manifest manifest, Optional<String> manifestLocation, Instant at) {
    return Optional.ofNullable(manifest.schemaDrift())
        .filter(Event::notable)
        .map(
            drift ->
                schemaChanged(
                    manifest.job(),
                    manifest.runId(),
                    logicalDate(manifest),
                    manifestLocation.isPresent() ? "succeeded" : "skipped",
                    drift,
                    Optional.of(Output.of(manifest, manifestLocation)),
                    at));
  }

  /**
   * Whether a drift has a change the policy warns about or refuses (allowed ones are only kept).
   */
  public static boolean notable(SchemaDrift drift) {
    return drift.changes().stream().anyMatch(c -> !c.action().equals(SchemaDrift.ALLOW));
  }

  /**
   * An alert the scheduler raised: its kind is the event's type; the run is the one it is about
   * (for export-late, the id the slot's run has or will have), the status {@code open}.
   */
  public static Event alert(Alert alert, Optional<Duration> duration, Optional<Instant> slot) {
    return new Event(
        alert.kind(),
        alert.job(),
        alert.runId().orElse(alert.window()),
        alert.openedAt(),
        alert.logicalDate(),
        "alert",
        0,
        duration,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        slot,
        Optional.empty(),
        Optional.of(alert));
  }

  /** Whether the manifest records a quality rule that warned. */
  public static boolean warned(Manifest manifest) {
    return manifest.quality() != null
        && manifest.quality().rules().stream().anyMatch(rule -> "warned".equals(rule.outcome()));
  }

  private static Optional<String> logicalDate(Manifest manifest) {
    return Optional.ofNullable(manifest.window()).map(Manifest.LogicalWindow::runDate);
  }

  /**
   * What a run wrote: rows, files and bytes, where (the sink path and each file, when the manifest
   * could be read), the manifest's location and the quality outcome.
   */
  public record Output(
      long rows,
      long files,
      long bytes,
      Optional<String> sinkPath,
      List<OutputFile> fileList,
      Optional<String> manifest,
      Optional<Manifest.Quality> quality) {
    public Output {
      requireNonNull(sinkPath, "sinkPath is null");
      fileList = List.copyOf(fileList);
      requireNonNull(manifest, "manifest is null");
      requireNonNull(quality, "quality is null");
    }

    public static Output of(Manifest manifest, Optional<String> location) {
      return new Output(
          manifest.totals().rows(),
          manifest.totals().files(),
          manifest.totals().bytes(),
          Optional.ofNullable(manifest.sink()).map(Manifest.SinkInfo::path),
          location.isPresent() ? manifest.files() : List.of(),
          location,
          Optional.ofNullable(manifest.quality()));
    }

    /** The full location of one of the files: the sink path, then its relative path. */
    public String location(OutputFile file) {
      String root = sinkPath.orElse("");
      return root.endsWith("/") ? root + file.path() : root + "/" + file.path();
    }

    /** passed, warned, failed (by the strongest rule outcome), or none without rules. */
    public String qualityOutcome() {
      List<String> outcomes =
          quality
              .map(q -> q.rules().stream().map(Manifest.RuleResult::outcome).toList())
              .orElse(List.of());
      if (outcomes.contains("failed")) {
        return "failed";
      }
      return outcomes.contains("warned") ? "warned" : outcomes.isEmpty() ? "none" : "passed";
    }
  }

  /** What retention did for a job: exports deleted, exports archived, and the bytes that freed. */
  public record Retention(long exportsDeleted, long exportsArchived, long bytesFreed) {}
}
