package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.cli.LaunchedRuns;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Worker;
import io.lakeport.run.Sessions;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.ScheduledJob;
import io.lakeport.schedule.Scheduler;
import io.lakeport.schedule.SchedulerOptions;
import io.lakeport.schedule.launch.InProcessLauncher;
import io.lakeport.schedule.launch.RunKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler runs a job's retention on the retention block's own cron: at the slot it launches
 * {@code lakeport retention apply} (in process, as the embedded default does), which removes the
 * exports the policy lets go, and the history records the run of {@code <job>.retention} with what
 * it freed.
 */
class SchedulerRetentionTest {
  @TempDir Path dir;
  private final ExecutorService pool = Executors.newFixedThreadPool(1);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    pool.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void runsRetentionOnItsCron() throws Exception {
    Path root = dir.resolve("exports/orders");
    FileSystem fs = FileSystem.getLocal(Sessions.hadoopConfiguration(Fixtures.site()));
    ExportWriter writer = new ExportWriter(fs, new org.apache.hadoop.fs.Path(root.toUri()), 3);
    Instant now = Instant.now();
    List<String> oldFiles = new ArrayList<>();
    for (int daysAgo : new int[] {40, 20}) {
      Instant published = now.minus(Duration.ofDays(daysAgo));
      oldFiles.addAll(
          writer.export(
              ExportWriter.runId(published, daysAgo),
              published.atZone(ZoneOffset.UTC).toLocalDate(),
              published,
              2,
              300,
              false));
    }
    Instant newest = now.minus(Duration.ofDays(1));
    List<String> newFiles =
        writer.export(
            ExportWriter.runId(newest, 1),
            newest.atZone(ZoneOffset.UTC).toLocalDate(),
            newest,
            2,
            300,
            false);
    Path history = dir.resolve("history");
    Path site =
        Files.writeString(
            dir.resolve("site.conf"),
            "lakeport.history.url = \"jdbc:h2:file:" + history.toAbsolutePath() + "\"\n");
    Path jobFile =
        Fixtures.write(
            dir,
            "orders.conf",
            """
        name = orders
        time-zone = UTC
        source { format = parquet, path = /in }
        sink { format = parquet, path = "%s" }
        retention {
          keep.last = 1
          schedule { cron = "0 4 * * *" }
        }
        """
                .formatted(root));
    JobSpec job =
        new JobLoader(Site.load(Optional.of(site)))
            .load(jobFile, Map.of(), JobLoader.Mode.VALIDATE);
    Schedule retention = Schedule.retention(job).orElseThrow();
    assertThat(retention.job()).isEqualTo("orders.retention");

    TestClock clock = new TestClock(Instant.parse("2026-11-24T03:59:00Z"));
    try (HistoryStore store = HistoryStore.open(Site.load(Optional.of(site)).history(), clock)) {
      Scheduler scheduler =
          new Scheduler(
              List.of(new ScheduledJob(retention, jobFile, RunKind.RETENTION)),
              store,
              new InProcessLauncher(pool, timer, new LaunchedRuns(Optional.of(site), clock)),
              clock,
              new SchedulerOptions(
                  1,
                  "scheduler-1",
                  new Worker("host-1", 4242),
                  new SplittableRandom(1),
                  Duration.ofMinutes(5),
                  Duration.ofHours(1)));
      scheduler.tick();
      assertThat(scheduler.running()).as("nothing before 04:00").isEmpty();
      clock.advance(Duration.ofMinutes(1).plusSeconds(5));
      scheduler.tick();
      assertThat(scheduler.running()).hasSize(1);
      scheduler.awaitRuns();

      List<Run> runs =
          store.runLog().runs(new RunFilter(Optional.of("orders.retention"), Optional.empty(), 10));
      assertThat(runs)
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.slot()).contains(Instant.parse("2026-11-24T04:00:00Z"));
                assertThat(run.rows()).as("exports removed").contains(2L);
                assertThat(run.files()).contains((long) oldFiles.size());
                assertThat(run.bytes()).contains(oldFiles.size() * 300L);
              });
    }
    for (String file : oldFiles) {
      assertThat(root.resolve(file)).doesNotExist();
    }
    for (String file : newFiles) {
      assertThat(root.resolve(file)).exists();
    }
  }
}
