package io.lakeport.server;

import io.lakeport.config.EventType;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.history.Alert;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.JobNames;
import io.lakeport.history.RunStatus;
import io.lakeport.history.RunTotals;
import io.lakeport.schedule.ScheduleState;
import io.lakeport.schedule.ScheduledJob;
import io.lakeport.schedule.launch.RunKind;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The run history as Prometheus metrics, read at each scrape with a few aggregate queries, so a
 * scrape costs the same whatever the history's size. They cover every run the history records (also
 * runs recorded by other schedulers and by {@code lakeport run}) and survive restarts. The counters
 * (ended runs by job and outcome, durations, rows, bytes and files exported by published runs,
 * bytes freed by retention) come from counts kept beside the runs, incremented as each run ends, so
 * they only grow, also when old runs are pruned; {@code lakeport_runs} counts the runs the history
 * holds now by status; each job's last success, the scheduler's lag, and each scheduled job's
 * switch and next run, and the open alerts by job and kind, complete them.
 *
 * <p>Retention runs are the runs of {@code <job>.retention} jobs ({@code lakeport retention apply},
 * by hand or scheduled); what they record as bytes is what they deleted. They count toward the
 * freed bytes, not toward the exported ones, nor toward the durations and statuses of exports.
 */
final class RunMetrics implements MultiCollector {
  private final HistoryStore store;
  private final List<ScheduledJob> jobs;
  private final Clock clock;

  RunMetrics(HistoryStore store, List<ScheduledJob> jobs, Clock clock) {
    this.store = store;
    this.jobs = List.copyOf(jobs);
    this.clock = clock;
  }

  @Override
  public MetricSnapshots collect() {
    Instant now = clock.instant();
    RunTotals.Snapshot totals = store.totals().snapshot(now);
    List<RunTotals.Finished> finished = totals.finished();
    List<RunTotals.StatusCount> byStatus = totals.byStatus();
    List<RunTotals.Finished> exports =
        finished.stream().filter(counts -> !JobNames.isRetention(counts.job())).toList();
    List<RunTotals.Finished> published =
        exports.stream().filter(counts -> counts.outcome() == RunStatus.SUCCEEDED).toList();
    TreeSet<String> names = new TreeSet<>();
    jobs.forEach(job -> names.add(job.job()));
    exports.forEach(counts -> names.add(counts.job()));
    byStatus.stream()
        .map(RunTotals.StatusCount::job)
        .filter(job -> !JobNames.isRetention(job))
        .forEach(names::add);
    return MetricSnapshots.of(
        runsByStatus(names, byStatus),
        finished(finished),
        durations(names, totals.durations(), exports),
        total(
            "lakeport_exported_rows",
            "Rows written by published runs.",
            names,
            published,
            RunTotals.Finished::rows),
        total(
            "lakeport_exported_bytes",
            "Bytes written by published runs.",
            names,
            published,
            RunTotals.Finished::bytes),
        total(
            "lakeport_exported_files",
            "Files written by published runs.",
            names,
            published,
            RunTotals.Finished::files),
        lastSuccess(published),
        retentionFreed(finished),
        lag(now, totals.oldestDue()),
        enabled(),
        nextRun(now),
        openAlerts());
  }

  /**
   * The open alerts by job and kind: 0 for each kind of each scheduled export, so that an alerting
   * rule on it has a series before the first alert.
   */
  private GaugeSnapshot openAlerts() {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    List<EventType> kinds =
        List.of(
            EventType.RUN_SLOW,
            EventType.EXPORT_LATE,
            EventType.FAILURE_RATE,
            EventType.ROWS_DROPPED);
    jobs.stream()
        .filter(job -> job.kind() == RunKind.EXPORT)
        .forEach(job -> kinds.forEach(kind -> zeroes(counts, job.job()).put(kind.text(), 0L)));
    for (Alert alert : store.alerts().open(Optional.empty())) {
      zeroes(counts, alert.job()).merge(alert.kind().text(), 1L, Long::sum);
    }
    GaugeSnapshot.Builder gauge =
        GaugeSnapshot.builder()
            .name("lakeport_alerts_open")
            .help(
                "Alerts the scheduler raised that no good run has cleared yet, by job and kind"
                    + " (run-slow, export-late, failure-rate, rows-dropped).");
    counts.forEach(
        (job, byKind) ->
            byKind.forEach(
                (kind, count) ->
                    gauge.dataPoint(
                        GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("job", job, "kind", kind))
                            .value(count)
                            .build())));
    return gauge.build();
  }

  private static Map<String, Long> zeroes(Map<String, Map<String, Long>> counts, String job) {
    return counts.computeIfAbsent(job, j -> new TreeMap<>());
  }

  private static GaugeSnapshot runsByStatus(
      TreeSet<String> names, List<RunTotals.StatusCount> counted) {
    Map<String, Map<RunStatus, Long>> counts = new TreeMap<>();
    names.forEach(
        name -> {
          Map<RunStatus, Long> zero = new TreeMap<>();
          for (RunStatus status : RunStatus.values()) {
            zero.put(status, 0L);
          }
          counts.put(name, zero);
        });
    counted.stream()
        .filter(count -> counts.containsKey(count.job()))
        .forEach(count -> counts.get(count.job()).merge(count.status(), count.runs(), Long::sum));
    GaugeSnapshot.Builder gauge =
        GaugeSnapshot.builder()
            .name("lakeport_runs")
            .help("Runs in the run history by job and the status they are in now.");
    counts.forEach(
        (job, byStatus) ->
            byStatus.forEach(
                (status, count) ->
                    gauge.dataPoint(
                        GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("job", job, "status", status.text()))
                            .value(count)
                            .build())));
    return gauge.build();
  }

  /** Every end of a run by job and outcome, retention jobs included. */
  private static CounterSnapshot finished(List<RunTotals.Finished> finished) {
    CounterSnapshot.Builder counter =
        CounterSnapshot.builder()
            .name("lakeport_runs_finished")
            .help(
                "Ends of runs by job and outcome (a run that failed and was retried counts for each end); kept apart from the runs, so pruning leaves it.");
    finished.forEach(
        counts ->
            counter.dataPoint(
                CounterDataPointSnapshot.builder()
                    .labels(Labels.of("job", counts.job(), "outcome", counts.outcome().text()))
                    .value(counts.runs())
                    .build()));
    return counter.build();
  }

  /**
   * Durations of ended runs, start to end, per job: the buckets counted as runs ended, the sum from
   * the counts by outcome.
   */
  private static HistogramSnapshot durations(
      TreeSet<String> names,
      List<RunTotals.DurationCount> counted,
      List<RunTotals.Finished> exports) {
    double[] bounds = new double[RunTotals.DURATION_BUCKETS.size() + 1];
    for (int i = 0; i < RunTotals.DURATION_BUCKETS.size(); i++) {
      bounds[i] = RunTotals.DURATION_BUCKETS.get(i);
    }
    bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
    HistogramSnapshot.Builder histogram =
        HistogramSnapshot.builder()
            .name("lakeport_run_duration_seconds")
            .help("How long ended runs took, from start to end.");
    for (String job : names) {
      long[] counts = new long[bounds.length];
      counted.stream()
          .filter(count -> count.job().equals(job))
          .forEach(count -> counts[bucket(bounds, count.upperBound())] += count.runs());
      double sum =
          exports.stream()
              .filter(count -> count.job().equals(job))
              .mapToDouble(RunTotals.Finished::durationSeconds)
              .sum();
      histogram.dataPoint(
          HistogramDataPointSnapshot.builder()
              .labels(Labels.of("job", job))
              .sum(sum)
              .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
              .build());
    }
    return histogram.build();
  }

  /** The bucket whose upper bound is {@code upperBound} (or, for an unknown bound, the next). */
  private static int bucket(double[] bounds, double upperBound) {
    for (int i = 0; i < bounds.length; i++) {
      if (upperBound <= bounds[i]) {
        return i;
      }
    }
    return bounds.length - 1;
  }

  private static CounterSnapshot total(
      String name,
      String help,
      TreeSet<String> names,
      List<RunTotals.Finished> published,
      ToLongFunction<RunTotals.Finished> value) {
    Map<String, Long> sums = new TreeMap<>();
    names.forEach(job -> sums.put(job, 0L));
    published.forEach(counts -> sums.merge(counts.job(), value.applyAsLong(counts), Long::sum));
    CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
    sums.forEach(
        (job, sum) ->
            counter.dataPoint(
                CounterDataPointSnapshot.builder()
                    .labels(Labels.of("job", job))
                    .value(sum)
                    .build()));
    return counter.build();
  }

  private static GaugeSnapshot lastSuccess(List<RunTotals.Finished> published) {
    GaugeSnapshot.Builder gauge =
        GaugeSnapshot.builder()
            .name("lakeport_last_success_timestamp_seconds")
            .help(
                "When each job's newest published run ended, in seconds since the epoch (jobs that never published have none).");
    published.forEach(
        counts ->
            counts
                .lastFinishedAt()
                .ifPresent(
                    end ->
                        gauge.dataPoint(
                            GaugeDataPointSnapshot.builder()
                                .labels(Labels.of("job", counts.job()))
                                .value(end.toEpochMilli() / 1000.0)
                                .build())));
    return gauge.build();
  }

  private static CounterSnapshot retentionFreed(List<RunTotals.Finished> finished) {
    long freed =
        finished.stream()
            .filter(
                counts ->
                    JobNames.isRetention(counts.job()) && counts.outcome() == RunStatus.SUCCEEDED)
            .mapToLong(RunTotals.Finished::bytes)
            .sum();
    return CounterSnapshot.builder()
        .name("lakeport_retention_freed_bytes")
        .help("Bytes deleted by retention runs (runs of <job>.retention).")
        .dataPoint(CounterDataPointSnapshot.builder().value(freed).build())
        .build();
  }

  /** How long the oldest queued run that may start has waited past its due time. */
  private static GaugeSnapshot lag(Instant now, Optional<Instant> oldestDue) {
    double lag =
        oldestDue.map(due -> Math.max(0, Json.seconds(Duration.between(due, now)))).orElse(0.0);
    return GaugeSnapshot.builder()
        .name("lakeport_scheduler_lag_seconds")
        .help(
            "How long the oldest queued run that is due has waited past its due time (0: none waiting).")
        .dataPoint(GaugeDataPointSnapshot.builder().value(lag).build())
        .build();
  }

  private GaugeSnapshot enabled() {
    ScheduleState state = ScheduleState.of(store);
    GaugeSnapshot.Builder gauge =
        GaugeSnapshot.builder()
            .name("lakeport_job_enabled")
            .help(
                "1 when the scheduler starts runs of the scheduled job, 0 when it is switched off.");
    jobs.forEach(
        job ->
            gauge.dataPoint(
                GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("job", job.job()))
                    .value(state.status(job.schedule()) == ScheduleSpec.Status.ENABLED ? 1 : 0)
                    .build()));
    return gauge.build();
  }

  private GaugeSnapshot nextRun(Instant now) {
    GaugeSnapshot.Builder gauge =
        GaugeSnapshot.builder()
            .name("lakeport_job_next_run_timestamp_seconds")
            .help("When each scheduled job's next slot is due, in seconds since the epoch.");
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    jobs.forEach(
        job ->
            job.schedule()
                .nextAfter(now)
                .ifPresent(
                    slot ->
                        points.add(
                            GaugeDataPointSnapshot.builder()
                                .labels(Labels.of("job", job.job()))
                                .value(slot.instant().toEpochMilli() / 1000.0)
                                .build())));
    points.forEach(gauge::dataPoint);
    return gauge.build();
  }
}
