package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.Worker;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.ScheduledJob;
import io.lakeport.schedule.Scheduler;
import io.lakeport.schedule.SchedulerOptions;
import io.lakeport.schedule.launch.RunKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's retention runs are listed by the API as job {@code <job>.retention}; a run queued for
 * that name must be a retention run of the job, not an export. The runs are held by {@link
 * HeldLauncher}: what is checked is what the scheduler is asked to launch.
 */
class RetentionRunNowTest {
  @TempDir Path dir;

  @Test
  void aRunQueuedForARetentionJobIsLaunchedAsRetention() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "orders.conf",
            """
            name = orders
            time-zone = UTC
            source { format = parquet, path = /in }
            sink { format = parquet, path = /tmp/out }
            schedule { cron = "0 2 * * *" }
            retention {
              keep.last = 1
              schedule { cron = "0 4 * * *" }
            }
            """);
    JobLoader loader = new JobLoader(Fixtures.site());
    JobSpec spec = loader.load(file, Map.of(), JobLoader.Mode.VALIDATE);
    List<ScheduledJob> jobs =
        List.of(
            new ScheduledJob(Schedule.of(spec).orElseThrow(), file),
            new ScheduledJob(Schedule.retention(spec).orElseThrow(), file, RunKind.RETENTION));
    TestClock clock = TestClock.at("2026-11-24T08:00:00Z");
    HeldLauncher launcher = new HeldLauncher();
    try (HistoryStore store =
        HistoryStore.open(
            new HistorySettings(
                "jdbc:sqlite:" + dir.resolve("history.db"),
                HistorySettings.Database.SQLITE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Duration.ofMinutes(5),
                Optional.empty()),
            clock)) {
      Scheduler scheduler =
          new Scheduler(
              jobs,
              store,
              launcher,
              clock,
              new SchedulerOptions(
                  1,
                  "scheduler@host-1",
                  new Worker("host-1", 4242),
                  new SplittableRandom(7),
                  Duration.ofMinutes(5),
                  Duration.ofHours(6)));
      JobsResource resource = new JobsResource(store, jobs, Map.of(), loader, clock);

      Run queued =
          resource.runNow("orders.retention", new ObjectMapper().readTree("{}")).runs().get(0);
      scheduler.tick();

      assertThat(queued.job()).isEqualTo("orders.retention");
      assertThat(launcher.launches())
          .singleElement()
          .satisfies(
              launch -> {
                assertThat(launch.request().runId()).isEqualTo(queued.id());
                assertThat(launch.request().kind()).isEqualTo(RunKind.RETENTION);
                assertThat(launch.request().jobFile()).isEqualTo(file);
              });
    }
  }
}
