package io.lakeport.cli;

import io.lakeport.run.ExportRunner;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Logs the progress of runs (logger {@code io.lakeport.progress}, INFO): every few seconds while a
 * stage goes on, its tasks done of all and the run's rows read and written so far (finished tasks,
 * plus what running tasks last reported in their heartbeats), and each stage when it ends. Each
 * line carries the MDC of the run the stage belongs to (its Spark job's {@code mdc.job} and {@code
 * mdc.run} local properties), so runs sharing a process (the scheduler's) keep their own counts and
 * lines, and each run's log file gets its own progress. One listener per SparkContext.
 */
final class ProgressListener extends SparkListener {
  /** How often a stage that is going on is reported. */
  static final Duration INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger("io.lakeport.progress");
  private static final String RECORDS_READ = "internal.metrics.input.recordsRead";
  private static final String RECORDS_WRITTEN = "internal.metrics.output.recordsWritten";
  private static final Owner NOBODY = new Owner("", "");

  private static SparkContext installedOn;

  private final long intervalNanos;
  private final Map<Integer, Owner> owners = new ConcurrentHashMap<>();
  private final Map<Integer, Stage> stages = new ConcurrentHashMap<>();
  private final Map<String, Rows> rows = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  /**
   * How often the timer looks at the stages going on: a stage is reported an interval late at most
   * by this.
   */
  private static final Duration TICK = Duration.ofSeconds(1);

  ProgressListener(Duration interval) {
    this.intervalNanos = interval.toNanos();
    long tick = Math.min(interval.toMillis(), TICK.toMillis());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "lakeport-progress");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(this::reportRunning, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Reports the progress of {@code context}'s runs from now on, unless it already does. */
  static void install(SparkContext context) {
    install(context, INTERVAL);
  }

  /** As {@link #install(SparkContext)}, reporting going stages every {@code interval}. */
  static synchronized void install(SparkContext context, Duration interval) {
    if (installedOn != context) {
      context.addSparkListener(new ProgressListener(interval));
      installedOn = context;
    }
  }

  /** Who a Spark job (and its stages) runs for: the job and run id, empty outside runs. */
  private record Owner(String job, String run) {
    static Owner of(Properties properties) {
      if (properties == null) {
        return NOBODY;
      }
      return new Owner(
          properties.getProperty(ExportRunner.TASK_MDC + ExportRunner.JOB_KEY, ""),
          properties.getProperty(ExportRunner.TASK_MDC + ExportRunner.RUN_KEY, ""));
    }
  }

  /** A stage going on. */
  private static final class Stage {
    final Owner owner;
    final int tasks;
    final long submitted = System.nanoTime();
    final AtomicInteger done = new AtomicInteger();
    volatile long reported = submitted;

    Stage(Owner owner, int tasks) {
      this.owner = owner;
      this.tasks = tasks;
    }
  }

  /** A run's rows so far: of its finished tasks, and as its running tasks last reported them. */
  private static final class Rows {
    final AtomicLong read = new AtomicLong();
    final AtomicLong written = new AtomicLong();
    final Map<Long, long[]> running = new ConcurrentHashMap<>();

    long read() {
      return read.get() + running.values().stream().mapToLong(r -> r[0]).sum();
    }

    long written() {
      return written.get() + running.values().stream().mapToLong(r -> r[1]).sum();
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    Owner owner = Owner.of(jobStart.properties());
    CollectionConverters.asJava(jobStart.stageIds())
        .forEach(stage -> owners.put((Integer) stage, owner));
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    StageInfo stage = submitted.stageInfo();
    Owner owner = Owner.of(submitted.properties());
    if (owner.equals(NOBODY)) {
      owner = owners.getOrDefault(stage.stageId(), NOBODY);
    }
    stages.put(stage.stageId(), new Stage(owner, stage.numTasks()));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    Stage stage = stages.get(taskEnd.stageId());
    Owner owner = stage != null ? stage.owner : owners.getOrDefault(taskEnd.stageId(), NOBODY);
    Rows counts = rowsOf(owner);
    counts.running.remove(taskEnd.taskInfo().taskId());
    if (taskEnd.taskMetrics() != null) {
      counts.read.addAndGet(taskEnd.taskMetrics().inputMetrics().recordsRead());
      counts.written.addAndGet(taskEnd.taskMetrics().outputMetrics().recordsWritten());
    }
    if (stage != null && taskEnd.taskInfo().successful()) {
      stage.done.incrementAndGet();
    }
  }

  /** Heartbeats: what each running task has read and written so far. */
  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task :
        CollectionConverters.asJava(update.accumUpdates())) {
      Stage stage = stages.get((Integer) task._2());
      if (stage == null) {
        continue;
      }
      long[] counts = new long[2];
      for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
        String name = info.name().isDefined() ? info.name().get() : "";
        Object value = info.update().isDefined() ? info.update().get() : null;
        if (value instanceof Long number && name.equals(RECORDS_READ)) {
          counts[0] = number;
        } else if (value instanceof Long number && name.equals(RECORDS_WRITTEN)) {
          counts[1] = number;
        }
      }
      rowsOf(stage.owner).running.put((Long) task._1(), counts);
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    StageInfo info = completed.stageInfo();
    Stage stage = stages.remove(info.stageId());
    Owner owner = stage != null ? stage.owner : owners.getOrDefault(info.stageId(), NOBODY);
    owners.remove(info.stageId());
    long millis =
        info.completionTime().isDefined() && info.submissionTime().isDefined()
            ? (Long) info.completionTime().get() - (Long) info.submissionTime().get()
            : 0;
    Rows counts = rowsOf(owner);
    log(
        owner,
        String.format(
            Locale.ROOT,
            "stage %d %s: %d tasks in %.1f s; rows read %,d, written %,d so far",
            info.stageId(),
            info.failureReason().isDefined() ? "failed" : "done",
            info.numTasks(),
            millis / 1000.0,
            counts.read(),
            counts.written()));
    forgetEndedRuns();
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd end) {
    stop();
  }

  /** Stops reporting stages that go on. */
  void stop() {
    timer.shutdownNow();
  }

  /** Reports each stage that has gone on for an interval since it was last reported. */
  private void reportRunning() {
    long now = System.nanoTime();
    for (Map.Entry<Integer, Stage> entry : stages.entrySet()) {
      Stage stage = entry.getValue();
      if (now - stage.reported < intervalNanos) {
        continue;
      }
      stage.reported = now;
      Rows counts = rowsOf(stage.owner);
      log(
          stage.owner,
          String.format(
              Locale.ROOT,
              "stage %d running: %d of %d tasks done in %.0f s; rows read %,d, written %,d so far",
              entry.getKey(),
              stage.done.get(),
              stage.tasks,
              (now - stage.submitted) / 1e9,
              counts.read(),
              counts.written()));
    }
  }

  private Rows rowsOf(Owner owner) {
    return rows.computeIfAbsent(owner.run(), run -> new Rows());
  }

  /** Drops the counts of runs with no stage going on, once there are many. */
  private void forgetEndedRuns() {
    if (rows.size() > 64) {
      rows.keySet()
          .removeIf(
              run -> stages.values().stream().noneMatch(stage -> stage.owner.run().equals(run)));
    }
  }

  /** Logs {@code line} in the name of the run of {@code owner}: its file gets it too. */
  private static void log(Owner owner, String line) {
    if (owner.run().isEmpty()) {
      LOG.info("{}", line);
      return;
    }
    MDC.put(ExportRunner.JOB_KEY, owner.job());
    MDC.put(ExportRunner.RUN_KEY, owner.run());
    try {
      LOG.info("{}", line);
    } finally {
      MDC.remove(ExportRunner.JOB_KEY);
      MDC.remove(ExportRunner.RUN_KEY);
    }
  }
}
