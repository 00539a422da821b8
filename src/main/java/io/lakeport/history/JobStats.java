package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A job's runs over a period: how many, how many succeeded (skipped runs count as succeeded: they
 * did what the job asks) and failed (interrupted runs count as failed), the success rate among the
 * runs that ended that way, the median and 95th percentile duration of ended runs, and the average
 * rows and bytes of the runs that published.
 */
public record JobStats(
    String job,
    int runs,
    int succeeded,
    int failed,
    OptionalDouble successRate,
    Optional<Duration> medianDuration,
    Optional<Duration> p95Duration,
    OptionalDouble rowsPerRun,
    OptionalDouble bytesPerRun) {

  public JobStats {
    requireNonNull(job, "job is null");
    requireNonNull(successRate, "successRate is null");
    requireNonNull(medianDuration, "medianDuration is null");
    requireNonNull(p95Duration, "p95Duration is null");
    requireNonNull(rowsPerRun, "rowsPerRun is null");
    requireNonNull(bytesPerRun, "bytesPerRun is null");
  }

  /** The statistics of one job's runs. */
  static JobStats of(String job, List<Run> runs) {
    int succeeded = 0;
    int failed = 0;
    List<Duration> durations = new ArrayList<>();
    List<Run> published = new ArrayList<>();
    for (Run run : runs) {
      switch (run.status()) {
        case SUCCEEDED, SKIPPED -> succeeded++;
        case FAILED, INTERRUPTED, LOST -> failed++;
        case QUEUED, RUNNING, CANCELLED -> {}
      }
      if (run.status().ended()) {
        run.duration().ifPresent(durations::add);
      }
      if (run.status() == RunStatus.SUCCEEDED) {
        published.add(run);
      }
    }
    durations.sort(Comparator.naturalOrder());
    int decided = succeeded + failed;
    return new JobStats(
        job,
        runs.size(),
        succeeded,
        failed,
        decided == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) succeeded / decided),
        percentile(durations, 50),
        percentile(durations, 95),
        published.stream().mapToLong(r -> r.rows().orElse(0L)).average(),
        published.stream().mapToLong(r -> r.bytes().orElse(0L)).average());
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or
   * below it.
   */
  static Optional<Duration> percentile(List<Duration> sorted, int p) {
    if (sorted.isEmpty()) {
      return Optional.empty();
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return Optional.of(sorted.get(Math.max(rank, 1) - 1));
  }
}
