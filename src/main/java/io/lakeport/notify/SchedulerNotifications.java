package io.lakeport.notify;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.EventType;
import io.lakeport.config.JobLoader;
import io.lakeport.config.NotificationSpec;
import io.lakeport.history.Alert;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunStatus;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.schedule.RunListener;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns how the scheduler's runs end into events: a run that succeeded (and one whose quality rules
 * warned), one whose schema changed as its policy warns about or refuses, one that failed with no
 * retry left (failed, or interrupted and not queued again), a slot that was skipped, an alert the
 * scheduler opened. What a successful run wrote is read from its manifest, in the background.
 */
public final class SchedulerNotifications implements RunListener {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerNotifications.class);

  private final Notifier notifier;
  private final Map<String, NotificationSpec> jobs;
  private final ExportStorage storage;
  private final HistoryStore store;
  private final Clock clock;

  /** {@code jobs}: each scheduled job's own subscriptions, by job name. */
  public SchedulerNotifications(
      Notifier notifier,
      Map<String, NotificationSpec> jobs,
      ExportStorage storage,
      HistoryStore store,
      Clock clock) {
    this.notifier = requireNonNull(notifier, "notifier is null");
    this.jobs = Map.copyOf(jobs);
    this.storage = requireNonNull(storage, "storage is null");
    this.store = requireNonNull(store, "store is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void ended(Run run, Retry retried) {
    NotificationSpec job = jobs.getOrDefault(run.job(), NotificationSpec.none());
    boolean last = retried == Retry.NONE;
    if (run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.SKIPPED) {
      notifier.publish(EventType.RUN_SUCCEEDED, () -> Optional.of(succeeded(run)), job);
      notifier.publish(
          EventType.QUALITY_WARNING,
          () ->
              manifest(run)
                  .filter(Event::warned)
                  .map(
                      m -> Event.qualityWarning(m, run.manifest(), attempts(run), clock.instant())),
          job);
      notifier.publish(
          EventType.SCHEMA_CHANGED,
          () -> manifest(run).flatMap(m -> Event.schemaChanged(m, run.manifest(), clock.instant())),
          job);
    } else if (last
        && (run.status() == RunStatus.FAILED || run.status() == RunStatus.INTERRUPTED)) {
      notifier.publish(
          EventType.RUN_FAILED,
          () ->
              Optional.of(
                  Event.failed(
                      run.job(),
                      run.id(),
                      Optional.ofNullable(run.params().get(JobLoader.RUN_DATE)),
                      attempts(run),
                      run.duration(),
                      run.error().orElse(run.status().text()),
                      clock.instant())),
          job);
      notifier.publish(
          EventType.SCHEMA_CHANGED,
          () ->
              drift(run)
                  .filter(Event::notable)
                  .map(
                      drift ->
                          Event.schemaChanged(
                              run.job(),
                              run.id(),
                              Optional.ofNullable(run.params().get(JobLoader.RUN_DATE)),
                              run.status().text(),
                              drift,
                              Optional.empty(),
                              clock.instant())),
          job);
    }
  }

  @Override
  public void skipped(Run run) {
    skipped(run, EventType.SCHEDULE_MISSED, Event::scheduleMissed);
  }

  @Override
  public void upstreamLate(Run run) {
    skipped(run, EventType.UPSTREAM_LATE, Event::upstreamLate);
  }

  /** The event of a run skipped without starting, as {@code event} builds it. */
  private void skipped(Run run, EventType type, SkippedEvent event) {
    notifier.publish(
        type,
        () ->
            Optional.of(
                event.of(
                    run.job(),
                    run.id(),
                    run.slot(),
                    Optional.ofNullable(run.params().get(JobLoader.RUN_DATE)),
                    run.error().orElse("skipped"),
                    clock.instant())),
        jobs.getOrDefault(run.job(), NotificationSpec.none()));
  }

  /**
   * Builds the event of a skipped run ({@link Event#scheduleMissed}, {@link Event#upstreamLate}).
   */
  private interface SkippedEvent {
    Event of(
        String job,
        String runId,
        Optional<Instant> slot,
        Optional<String> logicalDate,
        String reason,
        Instant at);
  }

  @Override
  public void alerted(Alert alert) {
    notifier.publish(
        alert.kind(),
        () -> Optional.of(alertEvent(alert)),
        jobs.getOrDefault(alert.job(), NotificationSpec.none()));
  }

  /**
   * The alert's event, with the run it is about as the history has it now: how long it ran (or had
   * run when the alert opened) and its slot; an export-late alert's slot is its window.
   */
  private Event alertEvent(Alert alert) {
    Optional<Run> run = alert.runId().flatMap(id -> store.runLog().run(id));
    Optional<Duration> duration =
        run.flatMap(
            r ->
                r.duration()
                    .or(
                        () ->
                            r.startedAt().map(start -> Duration.between(start, alert.openedAt()))));
    Optional<Instant> slot =
        run.flatMap(Run::slot)
            .or(
                () ->
                    alert.kind() == EventType.EXPORT_LATE
                        ? Optional.of(Instant.parse(alert.window()))
                        : Optional.empty());
    return Event.alert(alert, duration, slot);
  }

  /**
   * The succeeded event from the run's manifest; from what the history holds when it cannot be
   * read.
   */
  private Event succeeded(Run run) {
    return manifest(run)
        .map(m -> Event.succeeded(m, run.manifest(), attempts(run), clock.instant()))
        .orElseGet(
            () ->
                new Event(
                    EventType.RUN_SUCCEEDED,
                    run.job(),
                    run.id(),
                    clock.instant(),
                    Optional.ofNullable(run.params().get(JobLoader.RUN_DATE)),
                    run.status().text(),
                    attempts(run),
                    run.duration(),
                    Optional.of(
                        new Event.Output(
                            run.rows().orElse(0L),
                            run.files().orElse(0L),
                            run.bytes().orElse(0L),
                            Optional.empty(),
                            List.of(),
                            run.manifest(),
                            Optional.empty())),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));
  }

  private Optional<Manifest> manifest(Run run) {
    if (run.manifest().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(storage.manifest(run.manifest().get()));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Cannot read the manifest {} of run {}: {}",
          run.manifest().get(),
          run.id(),
          e.toString());
      return Optional.empty();
    }
  }

  /** The schema drift the run recorded, when it recorded one that can be read. */
  private static Optional<SchemaDrift> drift(Run run) {
    if (run.schemaDrift().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SchemaDrift.fromJson(run.schemaDrift().get()));
    } catch (IOException e) {
      LOG.warn("Cannot read the schema drift of run {}: {}", run.id(), e.toString());
      return Optional.empty();
    }
  }

  private int attempts(Run run) {
    return store.runLog().attempts(run.id()).size();
  }
}
