package io.lakeport.notify;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Param;
import io.lakeport.config.Site;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.retention.Retention;
import io.lakeport.run.RunResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The notifications of {@code lakeport run}: each run that succeeds (and whose quality rules
 * warned, or whose schema changed as its policy warns about) or fails (and whose schema changed as
 * its policy refuses) is published; a failure is final, since nothing retries a run by hand.
 * Deliveries go on in the background while later runs go on; {@link #close()} waits for them, at
 * most {@code lakeport.notifications.delivery.wait-on-exit}, and never throws, so notifications
 * never change how the command ends.
 */
public final class RunNotifications implements AutoCloseable {
  private final Optional<Notifier> notifier;
  private final Duration waitOnExit;
  private final Clock clock;

  private RunNotifications(Optional<Notifier> notifier, Duration waitOnExit, Clock clock) {
    this.notifier = notifier;
    this.waitOnExit = waitOnExit;
    this.clock = clock;
  }

  /** Notifications for the site's channels, recorded in its run history; none without channels. */
  public static RunNotifications open(Site site, Clock clock) {
    Optional<Notifier> notifier =
        site.notifications().channels().isEmpty()
            ? Optional.empty()
            : Optional.of(Notifier.start(site, DeliveryLog.opening(site.history(), clock), clock));
    return new RunNotifications(notifier, site.notifications().delivery().waitOnExit(), clock);
  }

  /** For runs whose starter (the scheduler) notifies about them. */
  public static RunNotifications disabled() {
    return new RunNotifications(Optional.empty(), Duration.ZERO, Clock.systemUTC());
  }

  public void succeeded(JobSpec job, RunResult result) {
    notifier.ifPresent(
        n -> {
          n.publish(
              Event.succeeded(result.manifest(), result.manifestPath(), 1, clock.instant()),
              job.notifications());
          if (Event.warned(result.manifest())) {
            n.publish(
                Event.qualityWarning(result.manifest(), result.manifestPath(), 1, clock.instant()),
                job.notifications());
          }
          Event.schemaChanged(result.manifest(), result.manifestPath(), clock.instant())
              .ifPresent(event -> n.publish(event, job.notifications()));
        });
  }

  /** A run that failed, with its error summary as the run history keeps it (secrets masked). */
  public void failed(JobSpec job, String runId, Instant started, String error) {
    notifier.ifPresent(
        n ->
            n.publish(
                Event.failed(
                    job.name(),
                    runId,
                    runDate(job),
                    1,
                    Optional.of(Duration.between(started, clock.instant())),
                    error,
                    clock.instant()),
                job.notifications()));
  }

  /** A run whose output schema changed in a way the job's policy refuses: nothing was published. */
  public void refused(JobSpec job, String runId, SchemaDrift drift) {
    notifier.ifPresent(
        n ->
            n.publish(
                Event.schemaChanged(
                    job.name(),
                    runId,
                    runDate(job),
                    "failed",
                    drift,
                    Optional.empty(),
                    clock.instant()),
                job.notifications()));
  }

  public void retentionApplied(JobSpec job, String runId, Retention.Result result) {
    long archived = result.actions().stream().filter(a -> a.archive().isPresent()).count();
    notifier.ifPresent(
        n ->
            n.publish(
                Event.retentionApplied(
                    job.name(),
                    runId,
                    new Event.Retention(
                        result.exportsRemoved() - archived, archived, result.bytesFreed()),
                    clock.instant()),
                job.notifications()));
  }

  private static Optional<String> runDate(JobSpec job) {
    return Optional.ofNullable(job.params().get(JobLoader.RUN_DATE))
        .map(Param::value)
        .map(String::valueOf);
  }

  @Override
  public void close() {
    notifier.ifPresent(
        n -> {
          try {
            n.awaitDeliveries(waitOnExit);
          } finally {
            n.close();
          }
        });
  }
}
