package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.TestSpark;
import io.lakeport.cli.LaunchedRuns;
import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobLoader;
import io.lakeport.history.Attempt;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.QueuedRun;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Worker;
import io.lakeport.schedule.launch.InProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that really fails, run by the real {@link InProcessLauncher} on the shared session, under
 * the scheduler on a simulated clock with a real H2 history: its sink folder cannot be created (a
 * file is in the way, a storage failure: exit 3), so each attempt fails, is queued again after the
 * job's backoff, and after the last one the run stays failed with its error. The test waits for
 * each launch to end ({@link Scheduler#awaitRuns()}), never for time to pass.
 */
class SchedulerRetrySparkTest {
  private static final long SEED = 20261124;

  @TempDir Path dir;
  private ExecutorService pool;
  private ScheduledExecutorService timer;
  private HistoryStore store;
  private final TestClock clock = TestClock.at("2026-11-24T00:55:00Z");

  @BeforeEach
  void start() {
    TestSpark.session();
    pool = Executors.newFixedThreadPool(2);
    timer = Executors.newSingleThreadScheduledExecutor();
    store =
        HistoryStore.open(
            new HistorySettings(
                "jdbc:h2:file:" + dir.resolve("history").toAbsolutePath(),
                HistorySettings.Database.H2,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Duration.ofMinutes(5),
                Optional.empty()),
            clock);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    timer.shutdownNow();
    store.close();
  }

  @Test
  void aJobFailingOnItsStorageIsRetriedWithItsBackoffThenFailedWithItsError() throws Exception {
    Path csv = Files.writeString(dir.resolve("rows.csv"), "id\n1\n2\n3\n");
    Path inTheWay =
        Files.writeString(dir.resolve("exports"), "a file where the export's folder should be\n");
    ScheduledJob orders =
        job(
            csv,
            inTheWay.resolve("orders"),
            "retry { attempts = 3, backoff = exponential, delay = 2m, max-delay = 30m, jitter = 0.25 }");
    Scheduler scheduler =
        new Scheduler(
            List.of(orders),
            store,
            new InProcessLauncher(
                pool, timer, new LaunchedRuns(Optional.empty(), Clock.systemUTC())),
            clock,
            new SchedulerOptions(
                2,
                "scheduler-1",
                new Worker("host-1", 4242),
                new SplittableRandom(SEED),
                Duration.ofMinutes(5),
                Duration.ofHours(6)));
    SplittableRandom sameRandom = new SplittableRandom(SEED);

    clock.advance(Duration.ofMinutes(5));
    scheduler.tick();
    String runId =
        store.runLog().runs(new RunFilter(Optional.of("orders"), Optional.empty(), 10)).get(0).id();
    List<Instant> dueTimes = new ArrayList<>();
    for (int attempt = 1; attempt <= 2; attempt++) {
      clock.advance(Duration.ofSeconds(30));
      Instant failedAt = clock.instant();
      scheduler.awaitRuns();
      Instant due = failedAt.plus(orders.schedule().retry().delay(attempt, sameRandom));
      dueTimes.add(due);
      assertThat(store.runLog().queued())
          .extracting(q -> q.run().id(), QueuedRun::notBefore)
          .as("attempt %d failed: queued again until its backoff ends", attempt)
          .containsExactly(tuple(runId, Optional.of(due)));
      assertThat(store.locks().holder("orders"))
          .as("a run waiting for its retry holds no lock")
          .isEmpty();

      clock.advance(Duration.between(clock.instant(), due).minusSeconds(1));
      scheduler.tick();
      assertThat(store.runLog().attempts(runId))
          .as("no attempt before the backoff ends")
          .hasSize(attempt);
      clock.advance(Duration.ofSeconds(1));
      scheduler.tick();
      assertThat(store.runLog().attempts(runId)).hasSize(attempt + 1);
      assertThat(store.runLog().attempts(runId).get(attempt).startedAt()).isEqualTo(due);
    }
    clock.advance(Duration.ofSeconds(30));
    scheduler.awaitRuns();

    Run run = store.runLog().run(runId).orElseThrow();
    List<Attempt> attempts = store.runLog().attempts(runId);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error())
        .contains(
            "error: Cannot write the export for job orders (run "
                + runId
                + "): "
                + inTheWay.toAbsolutePath()
                + " is in the way: it is a file, not a folder");
    assertThat(run.error()).isEqualTo(attempts.get(2).error());
    assertThat(attempts)
        .extracting(Attempt::number, Attempt::exitCode)
        .containsExactly(
            tuple(1, Optional.of(3)), tuple(2, Optional.of(3)), tuple(3, Optional.of(3)));
    assertThat(attempts).allSatisfy(attempt -> assertThat(attempt.error()).isEqualTo(run.error()));
    assertThat(attempts)
        .extracting(Attempt::startedAt)
        .containsExactly(Instant.parse("2026-11-24T01:00:00Z"), dueTimes.get(0), dueTimes.get(1));
    assertThat(Duration.between(attempts.get(0).finishedAt().orElseThrow(), dueTimes.get(0)))
        .as("first backoff: 2m, up to 25%% either way")
        .isBetween(Duration.ofSeconds(90), Duration.ofSeconds(150));
    assertThat(Duration.between(attempts.get(1).finishedAt().orElseThrow(), dueTimes.get(1)))
        .as("second backoff: doubled to 4m, up to 25%% either way")
        .isBetween(Duration.ofMinutes(3), Duration.ofMinutes(5));
    assertThat(store.runLog().queued()).as("no attempt after the last").isEmpty();
    assertThat(store.locks().holder("orders")).isEmpty();
    assertThat(Files.readString(inTheWay))
        .as("the file in the way is untouched")
        .isEqualTo("a file where the export's folder should be\n");
  }

  private ScheduledJob job(Path csv, Path sink, String retry) {
    Path file =
        Fixtures.write(
            dir,
            "orders.conf",
            """
        name = orders
        source { format = csv, path = "%s", options { header = true } }
        sink { format = json, path = "%s" }
        schedule { every = daily, run-time = "01:00", time-zone = UTC, %s }
        """
                .formatted(csv, sink, retry));
    return new ScheduledJob(
        Schedule.of(new JobLoader(Fixtures.site()).load(file, Map.of(), JobLoader.Mode.RUN))
            .orElseThrow(),
        file);
  }
}
