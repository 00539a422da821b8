package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobLoader;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.history.Attempt;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.QueuedRun;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunRequest;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.schedule.ScriptedLauncher.Ending;
import io.lakeport.schedule.launch.LaunchOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scheduler loop on a simulated clock against a real H2 history store: which slots are queued,
 * started, skipped and retried, tick by tick. Launches are scripted ({@link ScriptedLauncher}).
 */
class SchedulerTest {
  private static final Duration TICK = Duration.ofMinutes(10);
  private static final long SEED = 20261124;

  @TempDir Path dir;
  private TestClock clock;
  private HistoryStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void sixtyDaysOfTicksFireEverySlotOnceWithItsRunDate() {
    Instant start = open("2026-02-15T00:00:00Z");
    ScheduledJob berlin =
        job(
            "orders",
            "Europe/Berlin",
            "every = daily, run-time = \"02:30\", execution-window { start = \"02:00\", end = \"05:00\" }");
    ScheduledJob newYork = job("clicks", "America/New_York", "every = hourly, minute = 0");
    ScheduledJob sydney = job("kpis", "Australia/Sydney", "every = daily, run-time = \"06:15\"");
    Scheduler scheduler =
        scheduler(
            List.of(berlin, newYork, sydney), new ScriptedLauncher(Ending.AT_ONCE), "scheduler-1");

    Instant end = start.plus(Duration.ofDays(60));
    while (clock.instant().isBefore(end)) {
      scheduler.tick();
      clock.advance(TICK);
    }
    scheduler.tick();
    clock.advance(Duration.ofMinutes(1));
    scheduler.tick();

    for (ScheduledJob job : List.of(berlin, newYork, sydney)) {
      // a first start also queues the slots due within missed-after before it (here 00:00 of
      // clicks)
      List<Slot> slots = job.schedule().slotsBetween(start.minus(Duration.ofMinutes(5)), end);
      List<Run> runs = runs(job.job());
      assertThat(runs)
          .extracting(run -> run.slot().orElseThrow())
          .as("job %s", job.job())
          .containsExactlyElementsOf(slots.stream().map(Slot::instant).toList());
      assertThat(runs)
          .extracting(run -> run.params().get(JobLoader.RUN_DATE))
          .containsExactlyElementsOf(
              slots.stream().map(slot -> slot.runDate().toString()).toList());
      assertThat(runs).extracting(Run::status).containsOnly(RunStatus.SUCCEEDED);
      assertThat(runs).allSatisfy(run -> assertThat(store.runLog().attempts(run.id())).hasSize(1));
    }
    assertThat(runs("orders")).hasSize(60);
    assertThat(runs("clicks")).hasSize(60 * 24 + 1);
  }

  @Test
  void aLongRunNeverOverlapsItsNextSlotWhichWaitsQueued() {
    open("2026-11-24T00:30:00Z");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler =
        scheduler(
            List.of(job("orders", "UTC", "every = hourly, minute = 0")), launcher, "scheduler-1");
    Instant longRunEnds = Instant.parse("2026-11-24T03:30:00Z");

    while (clock.instant().isBefore(Instant.parse("2026-11-24T06:00:00Z"))) {
      clock.advance(TICK);
      if (!clock.instant().isBefore(longRunEnds)) {
        launcher.running().forEach(ScriptedLauncher.ScriptedLaunch::succeed);
      }
      scheduler.tick();
      assertThat(runs("orders"))
          .filteredOn(run -> run.status() == RunStatus.RUNNING)
          .as("at %s", clock.instant())
          .hasSizeLessThanOrEqualTo(1);
      if (clock.instant().isBefore(longRunEnds)) {
        assertThat(runs("orders"))
            .filteredOn(run -> run.status() == RunStatus.QUEUED)
            .as("at %s", clock.instant())
            .hasSize(Math.max(0, runs("orders").size() - 1));
      }
    }

    List<Run> runs = runs("orders");
    assertThat(runs)
        .extracting(run -> run.slot().orElseThrow().toString())
        .containsExactly(
            "2026-11-24T01:00:00Z",
            "2026-11-24T02:00:00Z",
            "2026-11-24T03:00:00Z",
            "2026-11-24T04:00:00Z",
            "2026-11-24T05:00:00Z",
            "2026-11-24T06:00:00Z");
    assertThat(runs.get(0).finishedAt()).contains(longRunEnds);
    assertThat(runs.get(1).startedAt())
        .as("the next slot starts when the long run has ended")
        .contains(longRunEnds);
    for (int i = 1; i < runs.size(); i++) {
      if (runs.get(i).startedAt().isPresent()) {
        assertThat(runs.get(i).startedAt().get())
            .isAfterOrEqualTo(runs.get(i - 1).finishedAt().orElseThrow());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ScheduleSpec.Misfire.class)
  void sixHoursOfDowntimeQueueTheSlotsTheMisfirePolicySelectsAndSkipTheOthers(
      ScheduleSpec.Misfire misfire) {
    open("2026-11-24T00:30:00Z");
    String block =
        "every = hourly, minute = 0, misfire = " + misfire.name().toLowerCase(Locale.ROOT);
    ScheduledJob orders = job("orders", "UTC", block);
    Scheduler before =
        scheduler(List.of(orders), new ScriptedLauncher(Ending.AT_ONCE), "scheduler-1");
    for (int i = 0; i < 5; i++) {
      before.tick();
      clock.advance(TICK);
    }
    before.stop(Duration.ZERO);
    // down from the last tick (01:10) to 07:10: every slot from 02:00 to 07:00 is missed
    clock.advance(Duration.ofHours(6).minus(TICK));

    Scheduler after =
        scheduler(List.of(orders), new ScriptedLauncher(Ending.AT_ONCE), "scheduler-1");
    for (int i = 0; i < 8; i++) {
      after.tick();
      clock.advance(TICK);
    }

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-11-24T08:30:00Z"));
    List<String> skipped =
        switch (misfire) {
          case ALL -> List.of();
          case LATEST -> List.of("02", "03", "04", "05", "06");
          case NONE -> List.of("02", "03", "04", "05", "06", "07");
        };
    assertThat(runs("orders"))
        .extracting(run -> run.slot().orElseThrow().toString().substring(11, 13), Run::status)
        .containsExactlyElementsOf(
            List.of("01", "02", "03", "04", "05", "06", "07", "08").stream()
                .map(
                    hour ->
                        tuple(
                            hour, skipped.contains(hour) ? RunStatus.SKIPPED : RunStatus.SUCCEEDED))
                .toList());
    assertThat(runs("orders"))
        .filteredOn(run -> run.status() == RunStatus.SKIPPED)
        .allSatisfy(
            run ->
                assertThat(run.error())
                    .contains(
                        "missed: the scheduler was not running at "
                            + run.slot().orElseThrow().atZone(ZoneId.of("UTC"))
                            + ", and the job's schedule.misfire is "
                            + misfire.name().toLowerCase(Locale.ROOT)))
        .allSatisfy(run -> assertThat(store.runLog().attempts(run.id())).isEmpty());
  }

  @Test
  void aRunLostToSigkillIsInterruptedAtRestartItsLockFreedAndRetriedAfterTheBackoff() {
    open("2026-11-24T00:55:00Z");
    ScheduledJob orders =
        job(
            "orders",
            "UTC",
            "every = daily, run-time = \"01:00\", retry { attempts = 3, backoff = fixed, delay = 10m, jitter = 0 }");
    ScriptedLauncher killed = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler first = scheduler(List.of(orders), killed, "scheduler-1");
    clock.advance(Duration.ofMinutes(5));
    first.tick();
    String runId = runs("orders").get(0).id();
    assertThat(store.locks().holder("orders"))
        .hasValueSatisfying(lock -> assertThat(lock.runId()).isEqualTo(runId));

    // SIGKILL: the first scheduler is gone without a word; a new process of the same owner starts.
    clock.advance(Duration.ofMinutes(2));
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler restarted = scheduler(List.of(orders), launcher, "scheduler-1");
    Instant restart = clock.instant();
    List<Run> lost = restarted.recoverLost();

    assertThat(lost)
        .extracting(Run::id, Run::status)
        .containsExactly(tuple(runId, RunStatus.QUEUED));
    assertThat(store.locks().holder("orders")).isEmpty();
    assertThat(store.runLog().attempts(runId))
        .singleElement()
        .satisfies(
            attempt -> {
              assertThat(attempt.finishedAt()).contains(restart);
              assertThat(attempt.error())
                  .hasValueSatisfying(
                      e -> assertThat(e).contains("scheduler-1 stopped while the run was active"));
            });
    assertThat(store.runLog().queued())
        .extracting(q -> q.run().id(), QueuedRun::notBefore)
        .containsExactly(tuple(runId, Optional.of(restart.plus(Duration.ofMinutes(10)))));

    clock.advance(Duration.ofMinutes(9));
    restarted.tick();
    assertThat(launcher.launches()).as("not before the backoff ends").isEmpty();
    clock.advance(Duration.ofMinutes(1));
    restarted.tick();
    assertThat(launcher.launches()).extracting(l -> l.request().runId()).containsExactly(runId);
    launcher.running().forEach(ScriptedLauncher.ScriptedLaunch::succeed);
    clock.advance(TICK);
    restarted.tick();

    assertThat(store.runLog().run(runId).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(store.runLog().attempts(runId))
        .extracting(Attempt::number, Attempt::exitCode)
        .containsExactly(tuple(1, Optional.empty()), tuple(2, Optional.of(0)));
    assertThat(killed.launches()).hasSize(1);
  }

  @Test
  void aRunQueuedByHandForAJobWithoutAScheduleStartsAtTheNextPassAndIsNotRetried() {
    open("2026-11-24T00:30:00Z");
    Path adhoc =
        Fixtures.write(
            dir.resolve("adhoc"),
            "job.conf",
            "name = adhoc\nsource { format = parquet, path = /in }\nsink { format = parquet, path = /tmp/out }\n");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler = scheduler(List.of(), launcher, "scheduler-1");
    scheduler.startManualRunsOf(Map.of("adhoc", adhoc));
    store
        .runLog()
        .enqueue(
            new RunRequest(
                "r-adhoc",
                "adhoc",
                Optional.empty(),
                Trigger.MANUAL,
                Map.of("run_date", "2026-11-23")));
    store
        .runLog()
        .enqueue(new RunRequest("r-other", "unknown", Optional.empty(), Trigger.MANUAL, Map.of()));

    scheduler.tick();

    assertThat(launcher.launches())
        .singleElement()
        .satisfies(
            launch -> {
              assertThat(launch.request().runId()).isEqualTo("r-adhoc");
              assertThat(launch.request().jobFile()).isEqualTo(adhoc);
              assertThat(launch.request().params()).containsEntry("run_date", "2026-11-23");
              assertThat(launch.request().timeout())
                  .as("the default timeout")
                  .isEqualTo(Duration.ofHours(6));
            });
    launcher.running().forEach(launch -> launch.fail(3, "storage did not answer"));
    clock.advance(TICK);
    scheduler.tick();

    assertThat(store.runLog().run("r-adhoc").orElseThrow().status())
        .as("a run by hand is not retried, even for a failure that could pass")
        .isEqualTo(RunStatus.FAILED);
    assertThat(store.runLog().run("r-other").orElseThrow().status())
        .as("a job this scheduler does not know")
        .isEqualTo(RunStatus.QUEUED);
    assertThat(launcher.launches()).hasSize(1);
    assertThat(store.locks().holder("adhoc")).isEmpty();
  }

  @Test
  void twoSchedulersOnOneHistoryFireEachSlotOnceAndHeartbeatsKeepALongRunsLock() {
    open("2026-11-24T00:30:00Z");
    ScheduledJob orders = job("orders", "UTC", "every = hourly, minute = 0");
    ScriptedLauncher first = new ScriptedLauncher(Ending.WHEN_TOLD);
    ScriptedLauncher second = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler one = scheduler(List.of(orders), first, "scheduler-1");
    Scheduler two = scheduler(List.of(orders), second, "scheduler-2");

    // 3 hours, far longer than the 5 minute lock-ttl: the first scheduler's run keeps its lock
    for (int i = 0; i < 18; i++) {
      clock.advance(TICK);
      one.tick();
      two.tick();
    }

    assertThat(first.launches()).hasSize(1);
    assertThat(second.launches()).isEmpty();
    String longRun = first.launches().get(0).request().runId();
    assertThat(store.locks().holder("orders"))
        .hasValueSatisfying(lock -> assertThat(lock.runId()).isEqualTo(longRun));
    assertThat(runs("orders"))
        .extracting(Run::status)
        .containsExactly(RunStatus.RUNNING, RunStatus.QUEUED, RunStatus.QUEUED);

    // the first scheduler dies; once its heartbeat is older than lock-ttl the second takes the job
    // over
    clock.advance(Duration.ofMinutes(6));
    two.tick();

    assertThat(store.runLog().attempts(longRun))
        .singleElement()
        .satisfies(
            attempt ->
                assertThat(attempt.error())
                    .hasValueSatisfying(e -> assertThat(e).contains("went stale")));
    assertThat(second.launches())
        .extracting(l -> l.request().runId())
        .containsExactly(runs("orders").get(1).id());
    assertThat(store.locks().holder("orders"))
        .hasValueSatisfying(lock -> assertThat(lock.owner()).isEqualTo("scheduler-2"));
    Instant takenOver = clock.instant();
    Duration backoff = orders.schedule().retry().delay(1, new SplittableRandom(SEED));
    assertThat(store.runLog().queued())
        .as("the interrupted run is retried after the backoff, like a lost one")
        .extracting(q -> q.run().id(), QueuedRun::notBefore)
        .contains(tuple(longRun, Optional.of(takenOver.plus(backoff))));
  }

  @Test
  void aFailingJobIsRetriedWithItsBackoffThenFailedWithItsError() {
    open("2026-11-24T00:55:00Z");
    ScheduledJob orders =
        job(
            "orders",
            "UTC",
            "every = daily, run-time = \"01:00\","
                + " retry { attempts = 3, backoff = exponential, delay = 4m, max-delay = 30m, jitter = 0.25 }");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler = scheduler(List.of(orders), launcher, "scheduler-1");
    RandomGenerator sameRandom = new SplittableRandom(SEED);
    String error = "Cannot write the export of job orders: s3a://exports/orders: 503 Slow Down";
    clock.advance(Duration.ofMinutes(5));
    scheduler.tick();
    String runId = runs("orders").get(0).id();

    for (int attempt = 1; attempt <= 2; attempt++) {
      launcher.running().forEach(launch -> launch.fail(3, error));
      clock.advance(Duration.ofMinutes(1));
      Instant failedAt = clock.instant();
      scheduler.tick();
      Instant due = failedAt.plus(orders.schedule().retry().delay(attempt, sameRandom));
      assertThat(store.runLog().queued())
          .extracting(QueuedRun::notBefore)
          .containsExactly(Optional.of(due));
      clock.advance(Duration.between(clock.instant(), due).minusSeconds(1));
      scheduler.tick();
      assertThat(launcher.launches()).as("no attempt before its backoff ends").hasSize(attempt);
      clock.advance(Duration.ofSeconds(1));
      scheduler.tick();
      assertThat(launcher.launches()).hasSize(attempt + 1);
    }
    launcher.running().forEach(launch -> launch.fail(3, error));
    clock.advance(Duration.ofMinutes(1));
    scheduler.tick();

    Run run = store.runLog().run(runId).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).contains(error);
    assertThat(store.runLog().attempts(runId))
        .extracting(Attempt::number, Attempt::exitCode)
        .containsExactly(
            tuple(1, Optional.of(3)), tuple(2, Optional.of(3)), tuple(3, Optional.of(3)));
    assertThat(store.runLog().queued()).isEmpty();
    assertThat(store.locks().holder("orders")).isEmpty();
  }

  @Test
  void aTimedOutRunIsRetriedAndEachLaunchHasItsSchedulesTimeoutOrTheDefault() {
    open("2026-11-24T00:55:00Z");
    ScheduledJob orders =
        job(
            "orders",
            "UTC",
            "every = daily, run-time = \"01:00\", timeout = 2h,"
                + " retry { attempts = 2, backoff = fixed, delay = 10m, jitter = 0 }");
    ScheduledJob kpis = job("kpis", "UTC", "every = daily, run-time = \"01:00\"");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler = scheduler(List.of(orders, kpis), launcher, "scheduler-1");
    clock.advance(Duration.ofMinutes(5));
    scheduler.tick();
    assertThat(launcher.launches())
        .extracting(l -> l.request().job(), l -> l.request().timeout())
        .containsExactlyInAnyOrder(
            tuple("orders", Duration.ofHours(2)), tuple("kpis", Duration.ofHours(6)));

    launcher.running().stream()
        .filter(l -> l.request().job().equals("orders"))
        .forEach(ScriptedLauncher.ScriptedLaunch::timeOut);
    clock.advance(TICK);
    scheduler.tick();

    String runId = runs("orders").get(0).id();
    assertThat(store.runLog().attempts(runId))
        .singleElement()
        .satisfies(
            attempt ->
                assertThat(attempt.error())
                    .contains("timed out: cancelled at its timeout of PT2H"));
    assertThat(store.runLog().queued())
        .extracting(q -> q.run().id(), QueuedRun::notBefore)
        .containsExactly(tuple(runId, Optional.of(clock.instant().plus(Duration.ofMinutes(10)))));
  }

  @Test
  void noMoreThanTheMaximumRunAtOnceAndTheOldestSlotStartsFirst() {
    open("2026-11-24T00:55:00Z");
    List<ScheduledJob> jobs =
        List.of(
            job("a", "UTC", "every = daily, run-time = \"01:02\""),
            job("b", "UTC", "every = daily, run-time = \"01:01\""),
            job("c", "UTC", "every = daily, run-time = \"01:00\""));
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler = scheduler(jobs, launcher, "scheduler-1");
    clock.advance(Duration.ofMinutes(10));
    scheduler.tick();

    assertThat(launcher.launches()).extracting(l -> l.request().job()).containsExactly("c", "b");
    assertThat(scheduler.running()).hasSize(2);
    assertThat(runs("a")).extracting(Run::status).containsExactly(RunStatus.QUEUED);

    launcher.running().get(0).succeed();
    clock.advance(TICK);
    scheduler.tick();

    assertThat(launcher.launches())
        .extracting(l -> l.request().job())
        .containsExactly("c", "b", "a");
    assertThat(runs("c")).extracting(Run::status).containsExactly(RunStatus.SUCCEEDED);
  }

  @Test
  void aStoppedSchedulerCancelsItsRunsRecordsThemAndStartsNothingMore() {
    open("2026-11-24T00:55:00Z");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler =
        scheduler(
            List.of(job("orders", "UTC", "every = hourly, minute = 0")), launcher, "scheduler-1");
    clock.advance(Duration.ofMinutes(5));
    scheduler.tick();
    String runId = runs("orders").get(0).id();

    scheduler.stop(Duration.ZERO);
    clock.advance(Duration.ofHours(1));
    scheduler.tick();

    assertThat(store.runLog().run(runId).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(store.locks().holder("orders")).isEmpty();
    assertThat(store.runLog().queued())
        .as("a cancelled run is not retried; no slot is queued after the stop")
        .isEmpty();
    assertThat(launcher.launches()).hasSize(1);
    assertThat(scheduler.running()).isEmpty();
  }

  @Test
  void aRunningRunCancelledThroughTheHistoryEndsCancelledWithWhoAskedAndFreesItsLock() {
    open("2026-11-24T00:55:00Z");
    ScheduledJob orders =
        job(
            "orders",
            "UTC",
            "every = hourly, minute = 0,"
                + " retry { attempts = 3, backoff = fixed, delay = 1m, jitter = 0 }");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler = scheduler(List.of(orders), launcher, "scheduler-1");
    clock.advance(Duration.ofMinutes(5));
    scheduler.tick();
    String runId = runs("orders").get(0).id();
    assertThat(scheduler.running()).containsExactly(runId);

    // another process (lakeport cancel) asks through the history; the scheduler is not called
    clock.advance(Duration.ofSeconds(20));
    Instant asked = clock.instant();
    store.runLog().requestCancel(runId, "ana@etl-1 (lakeport cancel)");
    assertThat(launcher.launches().get(0).outcome())
        .as("nothing stops it before the next pass")
        .isNotDone();
    clock.advance(Duration.ofSeconds(40));
    Instant pass = clock.instant();
    scheduler.tick();

    Run run = store.runLog().run(runId).orElseThrow();
    assertThat(launcher.launches().get(0).outcome().join().state())
        .isEqualTo(LaunchOutcome.State.CANCELLED);
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.error())
        .contains("cancelled on request of ana@etl-1 (lakeport cancel) at " + asked);
    assertThat(run.finishedAt()).contains(pass);
    assertThat(store.runLog().attempts(runId))
        .singleElement()
        .satisfies(
            attempt -> {
              assertThat(attempt.finishedAt()).contains(pass);
              assertThat(attempt.error())
                  .contains("cancelled on request of ana@etl-1 (lakeport cancel) at " + asked);
            });
    assertThat(store.locks().holder("orders")).isEmpty();
    assertThat(scheduler.running()).isEmpty();

    // a cancelled run is not retried; the next slot runs as usual
    clock.advance(Duration.ofHours(1));
    scheduler.tick();
    assertThat(launcher.launches())
        .extracting(l -> l.request().runId())
        .containsExactly(runId, runs("orders").get(1).id());
    assertThat(store.runLog().attempts(runId)).hasSize(1);
  }

  @Test
  void aRunAskedToCancelThatFailsBeforeTheCancelTakesHoldIsNotRetried() {
    open("2026-11-24T00:55:00Z");
    ScheduledJob orders =
        job(
            "orders",
            "UTC",
            "every = daily, run-time = \"01:00\","
                + " retry { attempts = 3, backoff = fixed, delay = 1m, jitter = 0 }");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler = scheduler(List.of(orders), launcher, "scheduler-1");
    clock.advance(Duration.ofMinutes(5));
    scheduler.tick();
    String runId = runs("orders").get(0).id();

    store.runLog().requestCancel(runId, "ana@etl-1 (lakeport cancel)");
    launcher.running().forEach(launch -> launch.fail(3, "disk full"));
    clock.advance(TICK);
    scheduler.tick();
    clock.advance(TICK);
    scheduler.tick();

    Run run = store.runLog().run(runId).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).contains("disk full");
    assertThat(store.runLog().queued()).isEmpty();
    assertThat(launcher.launches()).hasSize(1);
    assertThat(store.locks().holder("orders")).isEmpty();
  }

  @Test
  void aConfigErrorIsNotRetried() {
    open("2026-11-24T00:55:00Z");
    ScheduledJob orders =
        job("orders", "UTC", "every = daily, run-time = \"01:00\", retry { attempts = 3 }");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler = scheduler(List.of(orders), launcher, "scheduler-1");
    clock.advance(Duration.ofMinutes(5));
    scheduler.tick();
    launcher
        .running()
        .forEach(
            launch -> launch.fail(2, "jobs/orders.conf:3: sink.format: unknown value \"parqet\"."));
    for (int i = 0; i < 12; i++) {
      clock.advance(TICK);
      scheduler.tick();
    }

    Run run = runs("orders").get(0);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).contains("jobs/orders.conf:3: sink.format: unknown value \"parqet\".");
    assertThat(store.runLog().attempts(run.id()))
        .extracting(Attempt::exitCode)
        .containsExactly(Optional.of(2));
    assertThat(launcher.launches()).hasSize(1);
  }

  @Test
  void aDisabledJobQueuesNothingAndAQueuedRunPastItsExecutionWindowIsSkipped() {
    open("2026-11-24T00:55:00Z");
    ScheduledJob orders =
        job(
            "orders",
            "UTC",
            "every = daily, run-time = \"01:00\", execution-window { start = \"01:00\", end = \"01:30\" }");
    ScheduledJob kpis = job("kpis", "UTC", "every = daily, run-time = \"01:00\"");
    ScriptedLauncher launcher = new ScriptedLauncher(Ending.WHEN_TOLD);
    Scheduler scheduler =
        new Scheduler(List.of(kpis, orders), store, launcher, clock, settings("scheduler-1", 1));
    store.schedules().disable("kpis");
    clock.advance(Duration.ofMinutes(5));
    store
        .runLog()
        .enqueue(new RunRequest("manual-1", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));
    scheduler.tick();
    String ordersRun = runs("orders").get(0).id();
    launcher.running().forEach(launch -> launch.fail(3, "disk full"));
    clock.advance(Duration.ofMinutes(40));
    scheduler.tick();

    assertThat(runs("kpis"))
        .extracting(Run::id)
        .as("no slot queued for a disabled job")
        .containsExactly("manual-1");
    Run orders1 = store.runLog().run(ordersRun).orElseThrow();
    assertThat(orders1.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(orders1.error())
        .contains(
            "Cannot start run "
                + ordersRun
                + " of job orders for 2026-11-24T01:00Z[UTC]:"
                + " its execution window (daily at 01:00, starting between 01:00 and 01:30) closed before it could start");
  }

  @Test
  void theSchedulerPrunesRunsOlderThanItKeepsAtItsFirstPassAndThenDaily() throws IOException {
    open("2026-01-01T00:00:00Z");
    manualRun("first", Duration.ofMinutes(1));
    clock.advance(Duration.ofHours(6));
    manualRun("second", Duration.ofMinutes(1));
    Path logs = dir.resolve("logs");
    Path firstLog = Files.createDirectories(logs.resolve("orders")).resolve("first.log");
    Path secondLog = logs.resolve("orders/second.log");
    for (Path log : List.of(firstLog, secondLog)) {
      Files.writeString(log, "a run's log\n");
      String id = log.getFileName().toString().replace(".log", "");
      store.runLog().logFile(id, log.toString());
    }
    Scheduler scheduler = scheduler(List.of(), new ScriptedLauncher(Ending.AT_ONCE), "scheduler-1");
    scheduler.keepHistory(Duration.ofDays(90), logs);
    clock.advance(Duration.ofDays(90).minusHours(5));

    scheduler.tick();
    List<String> afterFirstPass = ids();
    clock.advance(Duration.ofHours(6));
    scheduler.tick();
    List<String> withinTheDay = ids();
    clock.advance(Duration.ofHours(18));
    scheduler.tick();

    assertThat(afterFirstPass).as("first ended 90 days and 1 hour ago").containsExactly("second");
    assertThat(firstLog).as("its log file went with it").doesNotExist();
    assertThat(withinTheDay)
        .as("second is now older than 90 days, but the last prune was 6 hours ago")
        .containsExactly("second");
    assertThat(ids()).as("a day after the first prune").isEmpty();
    assertThat(secondLog).doesNotExist();
    assertThat(logs.resolve("orders")).as("the job's folder stays").isDirectory();
  }

  @Test
  void aSchedulerThatKeepsEveryRunPrunesNothing() {
    open("2026-01-01T00:00:00Z");
    manualRun("first", Duration.ofMinutes(1));
    Scheduler scheduler = scheduler(List.of(), new ScriptedLauncher(Ending.AT_ONCE), "scheduler-1");
    clock.advance(Duration.ofDays(1000));

    scheduler.tick();

    assertThat(ids()).containsExactly("first");
  }

  private void manualRun(String id, Duration took) {
    store
        .runLog()
        .begin(
            new RunRequest(id, "orders", Optional.empty(), Trigger.MANUAL, Map.of()),
            new Worker("host-1", 4242));
    clock.advance(took);
    store.runLog().finish(id, io.lakeport.history.RunOutcome.succeeded(1, 1, 1, "m"));
  }

  private List<String> ids() {
    return store.runLog().runs(new RunFilter(Optional.empty(), Optional.empty(), 100)).stream()
        .map(Run::id)
        .toList();
  }

  private Instant open(String start) {
    clock = new TestClock(Instant.parse(start));
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
    return clock.instant();
  }

  private Scheduler scheduler(List<ScheduledJob> jobs, ScriptedLauncher launcher, String owner) {
    return new Scheduler(jobs, store, launcher, clock, settings(owner, 2));
  }

  private static SchedulerOptions settings(String owner, int maxConcurrentRuns) {
    return new SchedulerOptions(
        maxConcurrentRuns,
        owner,
        new Worker("host-1", 4242),
        new SplittableRandom(SEED),
        Duration.ofMinutes(5),
        Duration.ofHours(6));
  }

  private ScheduledJob job(String name, String zone, String schedule) {
    String hocon =
        "name = "
            + name
            + "\ntime-zone = \""
            + zone
            + "\"\nwindow = day\n"
            + "source { format = parquet, path = /in }\nsink { format = parquet, path = /tmp/out }\n"
            + "schedule {\n"
            + schedule
            + "\n}\n";
    Path file = Fixtures.write(dir.resolve(name), "job.conf", hocon);
    return new ScheduledJob(
        Schedule.of(new JobLoader(Fixtures.site()).load(file, Map.of(), JobLoader.Mode.RUN))
            .orElseThrow(),
        file);
  }

  /** The job's runs, oldest slot first (runs without a slot last). */
  private List<Run> runs(String job) {
    return store.runLog().runs(new RunFilter(Optional.of(job), Optional.empty(), 100_000)).stream()
        .sorted(Comparator.comparing(run -> run.slot().orElse(Instant.MAX)))
        .toList();
  }
}
