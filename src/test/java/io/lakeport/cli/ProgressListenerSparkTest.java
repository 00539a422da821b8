package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.TestSpark;
import io.lakeport.run.ExportRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.ForeachFunction;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stage that goes on is reported every interval, not only when it ends: its two tasks are held
 * until a "running" line has been logged, in the name of the run whose Spark job it is (the job's
 * {@code mdc.job} and {@code mdc.run} local properties); then the stage ends and is reported done.
 */
class ProgressListenerSparkTest {
  private static final CountDownLatch RELEASE = new CountDownLatch(1);
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private final Lines lines = new Lines();

  @AfterEach
  void removeAppender() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(lines.getName());
    context.updateLoggers();
  }

  @Test
  void aStageThatGoesOnIsReportedEveryIntervalInTheNameOfItsRun() throws Exception {
    SparkSession spark = TestSpark.session();
    SparkContext context = spark.sparkContext();
    lines.start();
    LoggerContext logs = (LoggerContext) LogManager.getContext(false);
    logs.getConfiguration().getRootLogger().addAppender(lines, null, null);
    logs.updateLoggers();
    ProgressListener progress = new ProgressListener(Duration.ofMillis(200));
    context.addSparkListener(progress);
    try {
      CompletableFuture<Void> job =
          CompletableFuture.runAsync(
              () -> {
                context.setLocalProperty(ExportRunner.TASK_MDC + ExportRunner.JOB_KEY, "slow");
                context.setLocalProperty(ExportRunner.TASK_MDC + ExportRunner.RUN_KEY, "r-slow");
                spark
                    .range(0, 1_000, 1, 2)
                    .foreach((ForeachFunction<Long>) id -> RELEASE.await(1, TimeUnit.MINUTES));
              });

      String running = lines.await("running: 0 of 2 tasks done");
      RELEASE.countDown();
      job.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      String done = lines.await("done: 2 tasks in");

      assertThat(running).matches("slow r-slow stage \\d+ running: 0 of 2 tasks done in \\d+ s;.*");
      assertThat(done).matches("slow r-slow stage \\d+ done: 2 tasks in .* s; rows read .*");
    } finally {
      RELEASE.countDown();
      context.removeSparkListener(progress);
      progress.stop();
    }
  }

  /** The progress logger's lines, as "job run message". */
  private static final class Lines extends AbstractAppender {
    private final List<String> lines = new ArrayList<>();

    Lines() {
      super("progress-lines", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      if (event.getLoggerName().equals("io.lakeport.progress")) {
        synchronized (lines) {
          lines.add(
              event.getContextData().getValue(ExportRunner.JOB_KEY)
                  + " "
                  + event.getContextData().getValue(ExportRunner.RUN_KEY)
                  + " "
                  + event.getMessage().getFormattedMessage());
          lines.notifyAll();
        }
      }
    }

    /** The first line holding {@code text}, waited for up to the deadline. */
    String await(String text) throws InterruptedException {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      synchronized (lines) {
        while (true) {
          for (String line : lines) {
            if (line.contains(text)) {
              return line;
            }
          }
          long left = deadline - System.nanoTime();
          assertThat(left).as("a line with \"%s\" among %s", text, lines).isPositive();
          lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    }
  }
}
