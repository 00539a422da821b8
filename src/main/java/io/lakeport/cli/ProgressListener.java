package io.lakeport.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * Prints progress of long runs on stderr: each completed stage with rows read and written so far.
 */
final class ProgressListener extends SparkListener {
  private final PrintStream out;
  private final AtomicLong rowsRead = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();

  ProgressListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (taskEnd.taskMetrics() != null) {
      rowsRead.addAndGet(taskEnd.taskMetrics().inputMetrics().recordsRead());
      rowsWritten.addAndGet(taskEnd.taskMetrics().outputMetrics().recordsWritten());
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    StageInfo stage = completed.stageInfo();
    long millis =
        stage.completionTime().isDefined() && stage.submissionTime().isDefined()
            ? (Long) stage.completionTime().get() - (Long) stage.submissionTime().get()
            : 0;
    String outcome = stage.failureReason().isDefined() ? "failed" : "done";
    out.printf(
        Locale.ROOT,
        "[stage %d %s] %d tasks in %.1f s; rows read %,d, written %,d so far%n",
        stage.stageId(),
        outcome,
        stage.numTasks(),
        millis / 1000.0,
        rowsRead.get(),
        rowsWritten.get());
  }
}
