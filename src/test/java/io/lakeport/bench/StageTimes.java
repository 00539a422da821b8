package io.lakeport.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.SparkSession;

/**
 * Where a write's time goes: the stages Spark ran while it was listening, each with its wall time,
 * its tasks' summed run time and the bytes it read, shuffled and wrote.
 */
final class StageTimes extends SparkListener {
  private final List<String> stages = new ArrayList<>();

  /** Runs {@code work} and describes the stages it ran, one per line. */
  static String of(SparkSession spark, Runnable work) {
    StageTimes listener = new StageTimes();
    spark.sparkContext().addSparkListener(listener);
    try {
      work.run();
    } finally {
      try {
        spark.sparkContext().listenerBus().waitUntilEmpty();
      } catch (TimeoutException e) {
        throw new IllegalStateException("Spark's listener bus did not drain: " + e.getMessage(), e);
      }
      spark.sparkContext().removeSparkListener(listener);
    }
    synchronized (listener) {
      return String.join("; ", listener.stages);
    }
  }

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
    StageInfo stage = event.stageInfo();
    long wall =
        (long) stage.completionTime().getOrElse(() -> 0L)
            - (long) stage.submissionTime().getOrElse(() -> 0L);
    var metrics = stage.taskMetrics();
    stages.add(
        String.format(
            Locale.ROOT,
            "stage %d, %s (%d tasks): %.1f s, task time %.1f s, read %s, shuffle write %s (%.1f s), output %s",
            stage.stageId(),
            firstWord(stage.name()),
            stage.numTasks(),
            wall / 1e3,
            metrics.executorRunTime() / 1e3,
            mib(metrics.inputMetrics().bytesRead() + metrics.shuffleReadMetrics().totalBytesRead()),
            mib(metrics.shuffleWriteMetrics().bytesWritten()),
            metrics.shuffleWriteMetrics().writeTime() / 1e9,
            mib(metrics.outputMetrics().bytesWritten())));
  }

  private static String firstWord(String name) {
    return name.split(" at ")[0];
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  /** The stages of several runs, one line each. */
  static String lines(List<String> runs) {
    return runs.stream().map(r -> "- " + r).collect(Collectors.joining("\n"));
  }
}
