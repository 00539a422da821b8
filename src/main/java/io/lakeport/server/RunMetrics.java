package io.lakeport.server;

import io.lakeport.config.ScheduleSpec;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.JobNames;
import io.lakeport.history.QueuedRun;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.schedule.ScheduleState;
import io.lakeport.schedule.ScheduledJob;
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
 * The run history as Prometheus metrics, read at each scrape, so they cover every run the history
 * holds (also runs recorded by other schedulers and by {@code lakeport run}) and survive restarts:
 * runs by job and status, run durations, rows, bytes and files exported by published runs, each
 * job's last success, bytes freed by retention, the scheduler's lag, and each scheduled job's
 * switch and next run. Counters only grow while the history keeps its runs.
 *
 * <p>Retention runs are the runs of {@code <job>.retention} jobs ({@code lakeport retention apply},
 * by hand or scheduled); what they record as bytes is what they deleted. They count toward the
 * freed bytes, not toward the exported ones.
 */
final class RunMetrics implements MultiCollector {
  /** Upper bounds of the duration histogram's buckets, in seconds: a second to six hours. */
  static final double[] DURATION_BUCKETS = {
    1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600
  };

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
    List<Run> runs =
        store.runLog().runs(new RunFilter(Optional.empty(), Optional.empty(), Integer.MAX_VALUE));
    List<Run> exports = runs.stream().filter(run -> !isRetention(run)).toList();
    List<Run> published =
        exports.stream().filter(run -> run.status() == RunStatus.SUCCEEDED).toList();
    TreeSet<String> names = new TreeSet<>();
    jobs.forEach(job -> names.add(job.job()));
    exports.forEach(run -> names.add(run.job()));
    return MetricSnapshots.of(
        runsByStatus(names, exports),
        durations(names, exports),
        total(
            "lakeport_exported_rows",
            "Rows written by published runs.",
            names,
            published,
            run -> run.rows().orElse(0L)),
        total(
            "lakeport_exported_bytes",
            "Bytes written by published runs.",
            names,
            published,
            run -> run.bytes().orElse(0L)),
        total(
            "lakeport_exported_files",
            "Files written by published runs.",
            names,
            published,
            run -> run.files().orElse(0L)),
        lastSuccess(published),
        retentionFreed(runs),
        lag(now),
        enabled(),
        nextRun(now));
  }

  private static boolean isRetention(Run run) {
    return JobNames.isRetention(run.job());
  }

  private static GaugeSnapshot runsByStatus(TreeSet<String> names, List<Run> runs) {
    Map<String, Map<RunStatus, Long>> counts = new TreeMap<>();
    names.forEach(
        name -> {
          Map<RunStatus, Long> zero = new TreeMap<>();
          for (RunStatus status : RunStatus.values()) {
            zero.put(status, 0L);
          }
          counts.put(name, zero);
        });
    runs.forEach(run -> counts.get(run.job()).merge(run.status(), 1L, Long::sum));
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

  /** Durations of ended runs, start to end, per job. */
  private static HistogramSnapshot durations(TreeSet<String> names, List<Run> runs) {
    HistogramSnapshot.Builder histogram =
        HistogramSnapshot.builder()
            .name("lakeport_run_duration_seconds")
            .help("How long ended runs took, from start to end.");
    for (String job : names) {
      long[] counts = new long[DURATION_BUCKETS.length + 1];
      double sum = 0;
      for (Run run : runs) {
        Optional<Duration> duration =
            run.job().equals(job) && run.status().ended() ? run.duration() : Optional.empty();
        if (duration.isPresent()) {
          double seconds = Json.seconds(duration.get());
          counts[bucket(seconds)]++;
          sum += seconds;
        }
      }
      double[] bounds = new double[DURATION_BUCKETS.length + 1];
      System.arraycopy(DURATION_BUCKETS, 0, bounds, 0, DURATION_BUCKETS.length);
      bounds[DURATION_BUCKETS.length] = Double.POSITIVE_INFINITY;
      histogram.dataPoint(
          HistogramDataPointSnapshot.builder()
              .labels(Labels.of("job", job))
              .sum(sum)
              .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
              .build());
    }
    return histogram.build();
  }

  private static int bucket(double seconds) {
    for (int i = 0; i < DURATION_BUCKETS.length; i++) {
      if (seconds <= DURATION_BUCKETS[i]) {
        return i;
      }
    }
    return DURATION_BUCKETS.length;
  }

  private static CounterSnapshot total(
      String name, String help, TreeSet<String> names, List<Run> runs, ToLongFunction<Run> value) {
    Map<String, Long> sums = new TreeMap<>();
    names.forEach(job -> sums.put(job, 0L));
    runs.forEach(run -> sums.merge(run.job(), value.applyAsLong(run), Long::sum));
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

  private static GaugeSnapshot lastSuccess(List<Run> published) {
    Map<String, Instant> last = new TreeMap<>();
    published.forEach(
        run ->
            run.finishedAt()
                .ifPresent(end -> last.merge(run.job(), end, (a, b) -> a.isAfter(b) ? a : b)));
    GaugeSnapshot.Builder gauge =
        GaugeSnapshot.builder()
            .name("lakeport_last_success_timestamp_seconds")
            .help(
                "When each job's newest published run ended, in seconds since the epoch (jobs that never published have none).");
    last.forEach(
        (job, end) ->
            gauge.dataPoint(
                GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("job", job))
                    .value(end.toEpochMilli() / 1000.0)
                    .build()));
    return gauge.build();
  }

  private static CounterSnapshot retentionFreed(List<Run> runs) {
    long freed =
        runs.stream()
            .filter(run -> isRetention(run) && run.status() == RunStatus.SUCCEEDED)
            .mapToLong(run -> run.bytes().orElse(0L))
            .sum();
    return CounterSnapshot.builder()
        .name("lakeport_retention_freed_bytes")
        .help("Bytes deleted by retention runs (runs of <job>.retention).")
        .dataPoint(CounterDataPointSnapshot.builder().value(freed).build())
        .build();
  }

  /** How long the oldest queued run that may start has waited past its due time. */
  private GaugeSnapshot lag(Instant now) {
    double lag = 0;
    for (QueuedRun queued : store.runLog().queued()) {
      if (queued.due(now)) {
        Instant due = queued.run().slot().orElse(queued.run().queuedAt());
        if (queued.notBefore().isPresent() && queued.notBefore().get().isAfter(due)) {
          due = queued.notBefore().get();
        }
        lag = Math.max(lag, Json.seconds(Duration.between(due, now)));
      }
    }
    return GaugeSnapshot.builder()
        .name("lakeport_scheduler_lag_seconds")
        .help(
            "How long the oldest queued run that is due has waited past its due time (0: none waiting).")
        .dataPoint(GaugeDataPointSnapshot.builder().value(Math.max(0, lag)).build())
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
