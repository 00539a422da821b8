package io.lakeport.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeport.TestClock;
import io.lakeport.config.EventType;
import io.lakeport.config.HistorySettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the run history does, against a real database: {@link H2HistoryStoreTest} runs it on an
 * embedded H2 file, {@link PostgresHistoryStoreTest} on a PostgreSQL server the test starts. Races
 * run on real threads with their own connections, started together by a barrier.
 */
abstract class HistoryStoreContract {
  static final Duration TTL = Duration.ofMinutes(5);
  static final Worker WORKER = new Worker("worker-1", 4242);
  private static final int RACERS = 8;

  final TestClock clock = TestClock.at("2026-11-24T02:00:00Z");
  HistoryStore store;

  /** Settings of an empty database for one test, with {@link #TTL} as lock-ttl. */
  abstract HistorySettings settings();

  @BeforeEach
  void open() {
    store = HistoryStore.open(settings(), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aRunBegunByItsOwnProcessIsNeverInTheQueue() {
    Attempt attempt =
        store
            .runLog()
            .begin(
                new RunRequest("r1", "orders", Optional.empty(), Trigger.MANUAL, Map.of()), WORKER);

    assertThat(store.runLog().queued())
        .as("no scheduler can find it queued and start it too")
        .isEmpty();
    assertThat(store.runLog().run("r1")).get().extracting(Run::status).isEqualTo(RunStatus.RUNNING);
    assertThat(attempt.number()).isEqualTo(1);
    assertThat(store.runLog().attempts("r1")).containsExactly(attempt);
  }

  @Test
  void aRunIsRecordedFromQueuedToSucceeded() {
    Instant queued = clock.instant();
    store
        .runLog()
        .enqueue(
            new RunRequest(
                "r1",
                "orders",
                Optional.empty(),
                Trigger.MANUAL,
                Map.of("run_date", "2026-11-23")));
    clock.advance(Duration.ofSeconds(2));
    Attempt attempt = store.runLog().start("r1", WORKER);
    clock.advance(Duration.ofSeconds(90));
    Run run =
        store
            .runLog()
            .finish(
                "r1",
                RunOutcome.succeeded(
                    1_200, 34_567, 3, "file:/exports/orders/_lakeport/manifest-r1.json"));

    assertThat(attempt)
        .isEqualTo(
            new Attempt(
                "r1",
                1,
                queued.plusSeconds(2),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                WORKER));
    assertThat(run)
        .isEqualTo(
            new Run(
                "r1",
                "orders",
                Optional.empty(),
                Trigger.MANUAL,
                Map.of("run_date", "2026-11-23"),
                RunStatus.SUCCEEDED,
                queued,
                Optional.of(queued.plusSeconds(2)),
                Optional.of(queued.plusSeconds(92)),
                Optional.of(1_200L),
                Optional.of(34_567L),
                Optional.of(3L),
                Optional.of("file:/exports/orders/_lakeport/manifest-r1.json"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
    assertThat(store.runLog().run("r1")).contains(run);
    assertThat(run.duration()).contains(Duration.ofSeconds(90));
    assertThat(store.runLog().attempts("r1"))
        .containsExactly(
            new Attempt(
                "r1",
                1,
                queued.plusSeconds(2),
                Optional.of(queued.plusSeconds(92)),
                Optional.of(0),
                Optional.empty(),
                WORKER));
  }

  @Test
  void aSlotFiresOnceWhileRunsWithoutASlotAreAllKept() {
    Instant slot = Instant.parse("2026-11-24T02:00:00Z");

    assertThat(store.runLog().enqueue(RunRequest.scheduled("r1", "orders", slot, Map.of())))
        .isPresent();
    assertThat(store.runLog().enqueue(RunRequest.scheduled("r2", "orders", slot, Map.of())))
        .isEmpty();
    assertThat(store.runLog().enqueue(RunRequest.scheduled("r3", "kpis", slot, Map.of())))
        .isPresent();
    assertThat(
            store
                .runLog()
                .enqueue(
                    new RunRequest("r4", "orders", Optional.empty(), Trigger.MANUAL, Map.of())))
        .isPresent();
    assertThat(
            store
                .runLog()
                .enqueue(
                    new RunRequest("r5", "orders", Optional.empty(), Trigger.MANUAL, Map.of())))
        .isPresent();
    assertThat(
            store
                .runLog()
                .enqueue(
                    new RunRequest("r5", "orders", Optional.empty(), Trigger.MANUAL, Map.of())))
        .as("same id")
        .isEmpty();
    assertThat(store.runLog().runs(new RunFilter(Optional.of("orders"), Optional.empty(), 10)))
        .extracting(Run::id)
        .containsExactlyInAnyOrder("r1", "r4", "r5");
  }

  @Test
  void schedulersClaimingTheSameSlotTogetherMakeExactlyOneRun() throws Exception {
    Instant slot = Instant.parse("2026-11-24T03:00:00Z");

    List<Optional<Run>> claims =
        race(
            i ->
                store
                    .runLog()
                    .enqueue(RunRequest.scheduled("claim-" + i, "orders", slot, Map.of())));

    assertThat(claims.stream().filter(Optional::isPresent)).hasSize(1);
    assertThat(store.runLog().runs(new RunFilter(Optional.of("orders"), Optional.empty(), 100)))
        .hasSize(1)
        .allSatisfy(run -> assertThat(run.slot()).contains(slot));
  }

  @Test
  void aFailedRunIsRetriedAsItsNextAttempt() {
    store.runLog().enqueue(RunRequest.scheduled("r1", "orders", clock.instant(), Map.of()));
    store.runLog().start("r1", WORKER);
    clock.advance(Duration.ofSeconds(10));
    Run failed =
        store
            .runLog()
            .finish(
                "r1",
                RunOutcome.failed(3, "Cannot write the export for job orders (run r1): disk full"));
    clock.advance(Duration.ofMinutes(1));
    Attempt second = store.runLog().start("r1", new Worker("worker-2", 77));
    clock.advance(Duration.ofSeconds(20));
    Run succeeded = store.runLog().finish("r1", RunOutcome.succeeded(5, 500, 1, "file:/m.json"));

    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    assertThat(failed.error())
        .contains("Cannot write the export for job orders (run r1): disk full");
    assertThat(second.number()).isEqualTo(2);
    assertThat(succeeded.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(succeeded.error()).isEmpty();
    assertThat(succeeded.startedAt())
        .as("the first attempt's start")
        .contains(Instant.parse("2026-11-24T02:00:00Z"));
    assertThat(store.runLog().attempts("r1"))
        .extracting(Attempt::number, Attempt::exitCode, Attempt::error, a -> a.worker().host())
        .containsExactly(
            Tuple.tuple(
                1,
                Optional.of(3),
                Optional.of("Cannot write the export for job orders (run r1): disk full"),
                "worker-1"),
            Tuple.tuple(2, Optional.of(0), Optional.empty(), "worker-2"));
  }

  @Test
  void aQueuedRunIsSkippedWithItsReasonAndOnlyAQueuedOne() {
    Instant slot = Instant.parse("2026-11-24T01:00:00Z");
    store.runLog().enqueue(RunRequest.scheduled("r1", "orders", slot, Map.of()));
    store.runLog().enqueue(RunRequest.scheduled("r2", "orders", slot.plusSeconds(3600), Map.of()));
    store.runLog().start("r2", WORKER);

    Run skipped = store.runLog().skip("r1", "missed while the scheduler was down (misfire = none)");

    assertThat(skipped.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(skipped.finishedAt()).contains(clock.instant());
    assertThat(skipped.error()).contains("missed while the scheduler was down (misfire = none)");
    assertThat(store.runLog().attempts("r1")).isEmpty();
    assertThatThrownBy(() -> store.runLog().skip("r2", "late"))
        .hasMessageContaining("Cannot skip run r2")
        .hasMessageContaining("it is running, not queued");
  }

  @Test
  void aFailedRunQueuedAgainWaitsUntilItsBackoffEnds() {
    Instant slot = Instant.parse("2026-11-24T01:00:00Z");
    store.runLog().enqueue(RunRequest.scheduled("r1", "orders", slot, Map.of()));
    store.runLog().enqueue(RunRequest.scheduled("r2", "orders", slot.plusSeconds(3600), Map.of()));
    store.runLog().start("r1", WORKER);
    store.runLog().finish("r1", RunOutcome.failed(3, "disk full"));
    Instant due = clock.instant().plus(Duration.ofMinutes(5));

    Run queued = store.runLog().requeue("r1", due);

    assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(queued.finishedAt()).isEmpty();
    assertThat(queued.error()).contains("disk full");
    assertThat(store.runLog().queued())
        .extracting(q -> q.run().id(), QueuedRun::notBefore)
        .containsExactly(Tuple.tuple("r1", Optional.of(due)), Tuple.tuple("r2", Optional.empty()));
    assertThat(store.runLog().queued().get(0).due(due.minusSeconds(1))).isFalse();
    assertThat(store.runLog().queued().get(0).due(due)).isTrue();
    assertThat(store.runLog().start("r1", WORKER).number()).isEqualTo(2);
    assertThatThrownBy(() -> store.runLog().requeue("r2", due))
        .hasMessageContaining("it is queued, not failed or interrupted");
  }

  @Test
  void theLastSlotOfAJobIsItsNewestRunsSlot() {
    Instant slot = Instant.parse("2026-11-24T01:00:00Z");
    store.runLog().enqueue(RunRequest.scheduled("r1", "orders", slot.plusSeconds(3600), Map.of()));
    store.runLog().enqueue(RunRequest.scheduled("r2", "orders", slot, Map.of()));
    store
        .runLog()
        .enqueue(new RunRequest("r3", "orders", Optional.empty(), Trigger.MANUAL, Map.of()));
    store
        .runLog()
        .enqueue(new RunRequest("r4", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));

    assertThat(store.schedules().lastSlot("orders")).contains(slot.plusSeconds(3600));
    assertThat(store.schedules().lastSlot("kpis")).isEmpty();
    assertThat(store.schedules().lastSlot("nobody")).isEmpty();
  }

  @Test
  void aRunThatIsNotWhereTheCallerThinksIsRefusedWithItsState() {
    store
        .runLog()
        .enqueue(new RunRequest("r1", "orders", Optional.empty(), Trigger.MANUAL, Map.of()));

    assertThatThrownBy(() -> store.runLog().finish("r1", RunOutcome.skipped()))
        .isInstanceOf(HistoryException.class)
        .hasMessage("Cannot finish run r1: it is queued, not running");
    assertThatThrownBy(() -> store.runLog().start("nope", WORKER))
        .isInstanceOf(HistoryException.class)
        .hasMessage("Cannot start run nope: no such run in the history");
    assertThat(store.runLog().cancel("r1").status()).isEqualTo(RunStatus.CANCELLED);
    assertThatThrownBy(() -> store.runLog().start("r1", WORKER))
        .isInstanceOf(HistoryException.class)
        .hasMessage("Cannot start run r1: it is cancelled, not queued, failed or interrupted");
  }

  @Test
  void aLockKeepsOneRunPerJobActiveUntilItIsReleased() {
    Instant now = clock.instant();

    assertThat(store.locks().lock("orders", "r1", "scheduler-a"))
        .contains(new Lock("orders", "r1", "scheduler-a", now, now));
    assertThat(store.locks().lock("orders", "r1", "scheduler-a")).as("held already").isPresent();
    assertThat(store.locks().lock("orders", "r2", "scheduler-b")).isEmpty();
    assertThat(store.locks().lock("kpis", "r3", "scheduler-b")).isPresent();
    clock.advance(Duration.ofMinutes(4));
    assertThat(store.locks().heartbeat("orders", "r1")).isTrue();
    assertThat(store.locks().holder("orders"))
        .contains(new Lock("orders", "r1", "scheduler-a", now, now.plus(Duration.ofMinutes(4))));
    assertThat(store.locks().unlock("orders", "r2")).as("not its lock").isFalse();
    assertThat(store.locks().unlock("orders", "r1")).isTrue();
    assertThat(store.locks().lock("orders", "r2", "scheduler-b")).isPresent();
  }

  @Test
  void aStaleLockIsTakenOverAndTheRunThatHeldItIsInterrupted() {
    store.runLog().enqueue(RunRequest.scheduled("r1", "orders", clock.instant(), Map.of()));
    store.runLog().start("r1", WORKER);
    store.locks().lock("orders", "r1", "scheduler-a");
    Instant lastBeat = clock.instant();

    clock.advance(TTL);
    Optional<Lock> early = store.locks().lock("orders", "r2", "scheduler-b");
    clock.advance(Duration.ofSeconds(1));
    Optional<Lock> late = store.locks().lock("orders", "r2", "scheduler-b");

    assertThat(early).as("a heartbeat exactly lock-ttl old is not stale yet").isEmpty();
    assertThat(late)
        .contains(new Lock("orders", "r2", "scheduler-b", clock.instant(), clock.instant()));
    String error =
        "interrupted: its lock went stale (no heartbeat from scheduler-a since "
            + lastBeat
            + ", lock-ttl PT5M) and scheduler-b took it over";
    Run lost = store.runLog().run("r1").orElseThrow();
    assertThat(lost.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(lost.error()).contains(error);
    assertThat(lost.finishedAt()).contains(clock.instant());
    assertThat(store.runLog().attempts("r1"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.finishedAt()).contains(clock.instant());
              assertThat(a.exitCode()).isEmpty();
              assertThat(a.error()).contains(error);
            });
    assertThat(store.locks().heartbeat("orders", "r1"))
        .as("the old owner learns it lost the lock")
        .isFalse();
  }

  @Test
  void anExportLeaseKeepsEveryOtherRunOffItsExportUntilReleased() {
    String root = "s3a://exports/orders";
    Worker here = Worker.current();

    assertThat(store.leases().leaseExport(root, "orders", "r1", here)).isEmpty();
    assertThat(store.leases().leaseExport(root, "orders", "r1", here))
        .as("its own already")
        .isEmpty();
    assertThat(store.leases().leaseExport(root, "orders-copy", "r2", here))
        .as("a live holder keeps it")
        .get()
        .satisfies(
            holder -> {
              assertThat(holder.runId()).isEqualTo("r1");
              assertThat(holder.worker()).isEqualTo(here);
              assertThat(holder.acquiredAt()).isEqualTo(clock.instant());
            });
    assertThat(store.leases().leaseExport("s3a://exports/kpis", "kpis", "r3", here))
        .as("another export")
        .isEmpty();

    store.leases().releaseExportLease(root, "r2");
    assertThat(store.leases().leaseExport(root, "orders-copy", "r2", here))
        .as("releasing what one does not hold changes nothing")
        .isPresent();
    store.leases().releaseExportLease(root, "r1");
    assertThat(store.leases().leaseExport(root, "orders-copy", "r2", here)).isEmpty();
  }

  @Test
  void anExportLeaseOfAnotherHostIsTakenOverOnceItsHeartbeatIsOlderThanTheTtlAndItsRunIsLost() {
    String root = "hdfs://cluster/exports/orders";
    store
        .runLog()
        .begin(new RunRequest("r1", "orders", Optional.empty(), Trigger.MANUAL, Map.of()), WORKER);
    store.leases().leaseExport(root, "orders", "r1", WORKER);
    clock.advance(TTL.dividedBy(2));
    assertThat(store.leases().renewExportLease(root, "r1")).isTrue();
    Instant lastBeat = clock.instant();

    clock.advance(TTL);
    Optional<ExportLeaseRecord> early =
        store.leases().leaseExport(root, "orders", "r2", Worker.current());
    clock.advance(Duration.ofSeconds(1));
    Optional<ExportLeaseRecord> late =
        store.leases().leaseExport(root, "orders", "r2", Worker.current());

    assertThat(early).as("a heartbeat exactly lock-ttl old still holds").isPresent();
    assertThat(late).as("taken over").isEmpty();
    Run lost = store.runLog().run("r1").orElseThrow();
    assertThat(lost.status()).isEqualTo(RunStatus.LOST);
    assertThat(lost.error())
        .get()
        .asString()
        .contains("held the lease of " + root)
        .contains("(pid 4242 on worker-1) sent no heartbeat since " + lastBeat)
        .contains("run r2 (pid " + ProcessHandle.current().pid());
    assertThat(store.runLog().attempts("r1"))
        .singleElement()
        .satisfies(a -> assertThat(a.finishedAt()).contains(clock.instant()));
    assertThat(store.leases().renewExportLease(root, "r1"))
        .as("the old holder learns it")
        .isFalse();
    assertThat(store.leases().renewExportLease(root, "r2")).isTrue();
  }

  @Test
  void anExportLeaseOfAProcessThatEndedOnThisHostIsTakenOverAtOnce() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Worker dead = new Worker(Worker.current().host(), ended.pid());
    String root = "file:/exports/orders";
    store
        .runLog()
        .begin(new RunRequest("r1", "orders", Optional.empty(), Trigger.MANUAL, Map.of()), dead);
    store.leases().leaseExport(root, "orders", "r1", dead);

    assertThat(store.leases().leaseExport(root, "orders", "r2", Worker.current())).isEmpty();
    assertThat(store.runLog().run("r1"))
        .get()
        .satisfies(
            run -> {
              assertThat(run.status()).isEqualTo(RunStatus.LOST);
              assertThat(run.error())
                  .get()
                  .asString()
                  .contains("(pid " + ended.pid() + " on " + dead.host() + ") has ended");
            });
  }

  @Test
  void runsTakingOneExportLeaseTogetherLeaveOneHolder() throws Exception {
    List<Optional<ExportLeaseRecord>> refusals =
        race(
            i ->
                store
                    .leases()
                    .leaseExport("s3a://exports/orders", "orders", "r" + i, Worker.current()));

    List<String> holders =
        refusals.stream()
            .flatMap(Optional::stream)
            .map(ExportLeaseRecord::runId)
            .distinct()
            .toList();
    assertThat(refusals.stream().filter(Optional::isEmpty)).as("one run got it").hasSize(1);
    assertThat(holders).as("and every other run was told who").hasSize(1);
  }

  @Test
  void schedulersTakingOverTheSameStaleLockTogetherLeaveOneHolder() throws Exception {
    store.locks().lock("orders", "old", "scheduler-a");
    clock.advance(TTL.plusMinutes(1));

    List<Optional<Lock>> takeovers =
        race(i -> store.locks().lock("orders", "new-" + i, "scheduler-" + i));

    List<Lock> won = takeovers.stream().flatMap(Optional::stream).toList();
    assertThat(won).hasSize(1);
    assertThat(store.locks().holder("orders")).contains(won.get(0));
  }

  @Test
  void aRestartedSchedulerInterruptsTheRunsItLostAndFreesTheirLocks() {
    for (String id : List.of("r1", "r2", "r3")) {
      store
          .runLog()
          .enqueue(new RunRequest(id, "job-" + id, Optional.empty(), Trigger.SCHEDULE, Map.of()));
    }
    store.runLog().start("r1", WORKER);
    store.locks().lock("job-r1", "r1", "scheduler-a");
    store.locks().lock("job-r2", "r2", "scheduler-a");
    store.runLog().start("r3", WORKER);
    store.locks().lock("job-r3", "r3", "scheduler-b");
    clock.advance(Duration.ofSeconds(30));

    List<Run> lost = store.locks().interruptLost("scheduler-a");

    assertThat(lost).extracting(Run::id).containsExactlyInAnyOrder("r1", "r2");
    assertThat(lost)
        .allSatisfy(
            run -> {
              assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
              assertThat(run.error())
                  .contains(
                      "interrupted: scheduler-a stopped while the run was active (found at its restart)");
              assertThat(run.finishedAt()).contains(clock.instant());
            });
    assertThat(store.locks().holder("job-r1")).isEmpty();
    assertThat(store.locks().holder("job-r2")).isEmpty();
    assertThat(store.locks().holder("job-r3")).isPresent();
    assertThat(store.runLog().run("r3").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(store.runLog().attempts("r1"))
        .singleElement()
        .satisfies(a -> assertThat(a.finishedAt()).contains(clock.instant()));
  }

  @Test
  void aRunningRunUnderASchedulersLockIsAskedToStopAndTheFirstAskerIsKept() {
    for (String id : List.of("r1", "r2", "r3", "r4")) {
      store
          .runLog()
          .enqueue(new RunRequest(id, "job-" + id, Optional.empty(), Trigger.MANUAL, Map.of()));
    }
    store.runLog().start("r1", WORKER);
    store.locks().lock("job-r1", "r1", "scheduler-a");
    store.runLog().start("r2", WORKER);
    store.locks().lock("job-r2", "r2", "scheduler-b");
    // r3 runs in a lakeport run process, which takes no lock; r4 is still queued
    store.runLog().start("r3", WORKER);
    Instant asked = clock.instant();

    CancelRequest first = store.runLog().requestCancel("r1", "ana@etl-1 (lakeport cancel)");
    clock.advance(Duration.ofSeconds(5));
    CancelRequest again = store.runLog().requestCancel("r1", "bob@etl-2 (lakeport cancel)");
    store.runLog().requestCancel("r2", "bob@etl-2 (lakeport cancel)");

    assertThat(first).isEqualTo(new CancelRequest("r1", "ana@etl-1 (lakeport cancel)", asked));
    assertThat(again).as("the first asker is kept").isEqualTo(first);
    assertThat(store.runLog().cancelRequests())
        .containsExactly(
            first, new CancelRequest("r2", "bob@etl-2 (lakeport cancel)", asked.plusSeconds(5)));
    assertThat(store.runLog().cancelRequest("r1")).contains(first);
    assertThat(store.runLog().cancelRequest("r3")).isEmpty();
    assertThat(store.runLog().run("r1").orElseThrow().status())
        .as("only asked: its scheduler stops it")
        .isEqualTo(RunStatus.RUNNING);
    assertThatThrownBy(() -> store.runLog().requestCancel("r3", "ana"))
        .isInstanceOf(HistoryException.class)
        .hasMessage(
            "Cannot cancel run r3: no scheduler holds the lock of job job-r3 for it (it runs outside the"
                + " scheduler, in a lakeport run process)");
    assertThatThrownBy(() -> store.runLog().requestCancel("r4", "ana"))
        .hasMessage("Cannot cancel run r4: it is queued, not running");
    assertThatThrownBy(() -> store.runLog().requestCancel("nope", "ana"))
        .hasMessage("Cannot cancel run nope: no such run in the history");

    store
        .runLog()
        .finish(
            "r2",
            new RunOutcome(
                RunStatus.CANCELLED,
                3,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("cancelled")));
    assertThat(store.runLog().cancelRequests())
        .as("requests of ended runs are done")
        .containsExactly(first);
    assertThat(store.runLog().cancelRequest("r2")).as("kept as a record of who asked").isPresent();
  }

  @Test
  void anEnabledOverrideIsKeptUntilCleared() {
    assertThat(store.schedules().enabledOverride("orders")).isEmpty();
    store.schedules().disable("orders");
    assertThat(store.schedules().enabledOverride("orders")).contains(false);
    store.schedules().enable("orders");
    assertThat(store.schedules().enabledOverride("orders")).contains(true);
    clock.advance(Duration.ofMinutes(1));
    store.schedules().pause("orders", Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(store.schedules().scheduleState("orders"))
        .contains(
            new ScheduleState(
                "orders",
                Optional.of(true),
                Optional.of(Instant.parse("2026-12-01T00:00:00Z")),
                clock.instant()));
    store.schedules().clearOverride("orders");
    assertThat(store.schedules().enabledOverride("orders")).isEmpty();
    assertThat(store.schedules().enabledOverride("kpis")).isEmpty();
  }

  @Test
  void runsAreListedNewestFirstByJobAndStatusUpToTheLimit() {
    for (int i = 1; i <= 5; i++) {
      store
          .runLog()
          .enqueue(
              new RunRequest(
                  "r" + i,
                  i % 2 == 0 ? "kpis" : "orders",
                  Optional.empty(),
                  Trigger.MANUAL,
                  Map.of()));
      clock.advance(Duration.ofMinutes(1));
    }
    store.runLog().cancel("r3");

    assertThat(store.runLog().runs(new RunFilter(Optional.empty(), Optional.empty(), 3)))
        .extracting(Run::id)
        .containsExactly("r5", "r4", "r3");
    assertThat(store.runLog().runs(new RunFilter(Optional.of("orders"), Optional.empty(), 10)))
        .extracting(Run::id)
        .containsExactly("r5", "r3", "r1");
    assertThat(
            store
                .runLog()
                .runs(new RunFilter(Optional.empty(), Optional.of(RunStatus.CANCELLED), 10)))
        .extracting(Run::id)
        .containsExactly("r3");
    assertThat(
            store
                .runLog()
                .runs(new RunFilter(Optional.of("kpis"), Optional.of(RunStatus.CANCELLED), 10)))
        .isEmpty();
  }

  @Test
  void statsCountOutcomesAndTakePercentilesOfDurations() {
    Instant since = clock.instant();
    long[] seconds = {10, 20, 30, 40, 100};
    for (int i = 0; i < seconds.length; i++) {
      String id = "ok" + i;
      store
          .runLog()
          .enqueue(new RunRequest(id, "orders", Optional.empty(), Trigger.MANUAL, Map.of()));
      store.runLog().start(id, WORKER);
      clock.advance(Duration.ofSeconds(seconds[i]));
      store
          .runLog()
          .finish(
              id,
              i == 4
                  ? RunOutcome.failed(3, "boom")
                  : RunOutcome.succeeded(100 * (i + 1), 1000 * (i + 1), 1, "m"));
    }
    store
        .runLog()
        .enqueue(new RunRequest("skip", "orders", Optional.empty(), Trigger.MANUAL, Map.of()));
    store.runLog().start("skip", WORKER);
    store.runLog().finish("skip", RunOutcome.skipped());
    store
        .runLog()
        .enqueue(new RunRequest("waiting", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));

    List<JobStats> stats = store.runLog().stats(Optional.empty(), since);

    assertThat(stats)
        .containsExactly(
            new JobStats(
                "kpis",
                1,
                0,
                0,
                OptionalDouble.empty(),
                Optional.empty(),
                Optional.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty()),
            new JobStats(
                "orders",
                6,
                5,
                1,
                OptionalDouble.of(5 / 6.0),
                Optional.of(Duration.ofSeconds(20)),
                Optional.of(Duration.ofSeconds(100)),
                OptionalDouble.of(250),
                OptionalDouble.of(2500)));
    assertThat(store.runLog().stats(Optional.of("kpis"), since))
        .extracting(JobStats::job)
        .containsExactly("kpis");
    assertThat(store.runLog().stats(Optional.empty(), clock.instant().plusSeconds(1))).isEmpty();
  }

  @Test
  void watermarksAndNotificationsAreRecordedWithTheNewestWatermarkFirst() {
    store
        .runLog()
        .enqueue(new RunRequest("r1", "orders", Optional.empty(), Trigger.SCHEDULE, Map.of()));
    Instant first = clock.instant();
    store
        .watermarks()
        .recordWatermark(
            new Watermark("orders", "watermark", "2026-11-23T23:59:00Z", Optional.of("r1"), first));
    store
        .watermarks()
        .recordWatermark(
            new Watermark(
                "orders",
                "watermark",
                "2026-11-24T23:59:00Z",
                Optional.empty(),
                first.plusSeconds(60)));
    store
        .deliveries()
        .recordNotification(
            new Notification(
                "r1",
                "webhook",
                "https://ops:hunter2@hooks.example/x?token=abc",
                1,
                Notification.Delivery.FAILED,
                Optional.of("HTTP 503"),
                first));
    store
        .deliveries()
        .recordNotification(
            new Notification(
                "r1",
                "webhook",
                "https://ops:hunter2@hooks.example/x?token=abc",
                2,
                Notification.Delivery.SENT,
                Optional.empty(),
                first.plusSeconds(30)));

    assertThat(store.watermarks().watermark("orders"))
        .contains(
            new Watermark(
                "orders",
                "watermark",
                "2026-11-24T23:59:00Z",
                Optional.empty(),
                first.plusSeconds(60)));
    assertThat(store.watermarks().watermark("kpis")).isEmpty();
    assertThat(store.deliveries().notifications("r1"))
        .containsExactly(
            new Notification(
                "r1",
                "webhook",
                "https://ops:***@hooks.example/x?token=***",
                1,
                Notification.Delivery.FAILED,
                Optional.of("HTTP 503"),
                first),
            new Notification(
                "r1",
                "webhook",
                "https://ops:***@hooks.example/x?token=***",
                2,
                Notification.Delivery.SENT,
                Optional.empty(),
                first.plusSeconds(30)));
  }

  @Test
  void everyEndOfARunIsCountedByJobAndOutcomeInItsOwnTransaction() {
    Instant first = clock.instant();
    // orders: published after 10 s; failed after 20 s, retried and published 40 s after its start
    store.runLog().enqueue(RunRequest.scheduled("r1", "orders", first, Map.of()));
    store.runLog().start("r1", WORKER);
    clock.advance(Duration.ofSeconds(10));
    store.runLog().finish("r1", RunOutcome.succeeded(5, 50, 1, "file:/m1.json"));
    store.runLog().enqueue(RunRequest.scheduled("r2", "orders", first.plusSeconds(60), Map.of()));
    Instant r2Start = clock.instant();
    store.runLog().start("r2", WORKER);
    clock.advance(Duration.ofSeconds(20));
    store.runLog().finish("r2", RunOutcome.failed(3, "disk full"));
    store.runLog().requeue("r2", clock.instant());
    clock.advance(Duration.ofSeconds(15));
    store.runLog().start("r2", WORKER);
    clock.advance(Duration.ofSeconds(5));
    store.runLog().finish("r2", RunOutcome.succeeded(7, 70, 2, "file:/m2.json"));
    Instant ordersLast = clock.instant();
    // kpis: one cancelled and one skipped before they started, one interrupted by a lock takeover
    for (String id : List.of("k1", "k2", "k3")) {
      store
          .runLog()
          .enqueue(new RunRequest(id, "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));
    }
    store.runLog().cancel("k1");
    store.runLog().skip("k2", "window closed");
    store.runLog().start("k3", WORKER);
    store.locks().lock("kpis", "k3", "scheduler-a");
    clock.advance(TTL.plusSeconds(1));
    store.locks().lock("kpis", "k4", "scheduler-b");

    assertThat(store.totals().finished())
        .containsExactly(
            new RunTotals.Finished(
                "kpis", RunStatus.CANCELLED, 1, 0, 0, 0, 0, Optional.of(ordersLast)),
            new RunTotals.Finished(
                "kpis",
                RunStatus.INTERRUPTED,
                1,
                0,
                0,
                0,
                TTL.plusSeconds(1).toSeconds(),
                Optional.of(clock.instant())),
            new RunTotals.Finished(
                "kpis", RunStatus.SKIPPED, 1, 0, 0, 0, 0, Optional.of(ordersLast)),
            new RunTotals.Finished(
                "orders", RunStatus.FAILED, 1, 0, 0, 0, 20, Optional.of(r2Start.plusSeconds(20))),
            new RunTotals.Finished(
                "orders", RunStatus.SUCCEEDED, 2, 12, 120, 3, 10 + 40, Optional.of(ordersLast)));
    assertThat(store.totals().durations())
        .containsExactlyInAnyOrder(
            new RunTotals.DurationCount("orders", 15, 1),
            new RunTotals.DurationCount("orders", 30, 1),
            new RunTotals.DurationCount("orders", 60, 1),
            new RunTotals.DurationCount("kpis", 600, 1));
    assertThat(store.totals().byStatus())
        .containsExactlyInAnyOrder(
            new RunTotals.StatusCount("orders", RunStatus.SUCCEEDED, 2),
            new RunTotals.StatusCount("kpis", RunStatus.CANCELLED, 1),
            new RunTotals.StatusCount("kpis", RunStatus.SKIPPED, 1),
            new RunTotals.StatusCount("kpis", RunStatus.INTERRUPTED, 1));
  }

  @Test
  void concurrentEndsOfANewJobAreAllCounted() throws Exception {
    for (int i = 0; i < 8; i++) {
      store
          .runLog()
          .begin(
              new RunRequest("r" + i, "orders", Optional.empty(), Trigger.MANUAL, Map.of()),
              WORKER);
    }

    race(i -> store.runLog().finish("r" + i, RunOutcome.succeeded(1, 10, 1, "m")));

    assertThat(store.totals().finished())
        .singleElement()
        .satisfies(
            counted -> {
              assertThat(counted.runs()).isEqualTo(8);
              assertThat(counted.bytes()).isEqualTo(80);
            });
  }

  @Test
  void pruningDeletesOnlyRunsThatEndedBeforeTheTimeWithTheirAttemptsAndDeliveries() {
    Instant start = clock.instant();
    ended("old-ok", "orders", Optional.of(start), RunOutcome.succeeded(1, 10, 1, "m"));
    ended("old-failed", "orders", Optional.of(start.plusSeconds(60)), RunOutcome.failed(3, "x"));
    ended("newest-slot", "orders", Optional.of(start.plusSeconds(120)), RunOutcome.skipped());
    store
        .deliveries()
        .recordNotification(
            new Notification(
                "old-ok",
                "webhook",
                "https://h/x",
                1,
                Notification.Delivery.SENT,
                Optional.empty(),
                clock.instant()));
    store
        .watermarks()
        .recordWatermark(
            new Watermark(
                "orders", "watermark", "2026-11-23", Optional.of("old-ok"), clock.instant()));
    // not ended: queued, running, and failed then waiting for its retry
    store
        .runLog()
        .enqueue(new RunRequest("old-queued", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));
    store
        .runLog()
        .begin(
            new RunRequest("old-running", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()),
            WORKER);
    ended("old-retry", "sales", Optional.empty(), RunOutcome.failed(3, "x"));
    store.runLog().requeue("old-retry", clock.instant().plus(Duration.ofDays(200)));
    // ended, but still named by a job lock and by an export lease
    ended("old-locked", "sales", Optional.empty(), RunOutcome.failed(3, "x"));
    store.locks().lock("sales", "old-locked", "scheduler-a");
    ended("old-leased", "sales", Optional.empty(), RunOutcome.succeeded(1, 1, 1, "m"));
    store.leases().leaseExport("file:/exports/sales", "sales", "old-leased", WORKER);
    // alerts: one cleared long ago (goes, with its delivery), one still open (stays)
    Alert cleared =
        Alert.open(
            "orders",
            EventType.ROWS_DROPPED,
            "run old-ok",
            Optional.of("old-ok"),
            Optional.empty(),
            clock.instant(),
            "dropped");
    Alert open =
        Alert.open(
            "orders",
            EventType.EXPORT_LATE,
            "2026-11-20T01:00:00Z",
            Optional.empty(),
            Optional.empty(),
            clock.instant(),
            "late");
    assertThat(store.alerts().open(cleared)).isTrue();
    assertThat(store.alerts().open(open)).isTrue();
    store
        .alerts()
        .recordNotification(
            cleared,
            new Notification(
                "old-ok",
                "webhook",
                "https://h/x",
                1,
                Notification.Delivery.SENT,
                Optional.empty(),
                clock.instant()));
    assertThat(store.alerts().clear(cleared, "old-ok")).isTrue();
    clock.advance(Duration.ofDays(100));
    Instant before = clock.instant().minus(Duration.ofDays(90));
    ended("recent", "orders", Optional.empty(), RunOutcome.succeeded(1, 10, 1, "m"));
    List<RunTotals.Finished> counted = store.totals().finished();

    store.runLog().logFile("old-ok", "/logs/orders/old-ok.log");
    store.runLog().logFile("newest-slot", "/logs/orders/newest-slot.log");
    Pruned wouldBe = store.runLog().prunable(before);
    Pruned pruned = store.runLog().prune(before);

    assertThat(pruned).isEqualTo(wouldBe);
    assertThat(pruned)
        .isEqualTo(
            new Pruned(
                before,
                List.of(new Pruned.JobRuns("orders", 2)),
                2,
                1,
                List.of("/logs/orders/old-ok.log")));
    assertThat(store.runLog().runs(new RunFilter(Optional.empty(), Optional.empty(), 100)))
        .extracting(Run::id)
        .containsExactlyInAnyOrder(
            "newest-slot",
            "old-queued",
            "old-running",
            "old-retry",
            "old-locked",
            "old-leased",
            "recent");
    assertThat(store.runLog().attempts("old-ok")).isEmpty();
    assertThat(store.runLog().attempts("old-failed")).isEmpty();
    assertThat(store.runLog().attempts("newest-slot")).hasSize(1);
    assertThat(store.deliveries().notifications("old-ok")).isEmpty();
    assertThat(store.watermarks().watermark("orders"))
        .as("kept, without the run")
        .get()
        .satisfies(w -> assertThat(w.runId()).isEmpty());
    assertThat(store.schedules().lastSlot("orders")).contains(start.plusSeconds(120));
    assertThat(store.totals().finished()).as("counts outlive their runs").isEqualTo(counted);
    assertThat(store.runLog().prune(before).runs()).as("nothing left to prune").isZero();
    assertThat(store.alerts().alerts("orders", 10)).containsExactly(open);
    assertThat(store.alerts().notifications(cleared)).isEmpty();
  }

  @Test
  void aHistoryFromBeforeTheCountsIsCountedWhenUpgraded() throws Exception {
    ended("r1", "orders", Optional.empty(), RunOutcome.succeeded(5, 50, 1, "m"));
    ended("r2", "orders", Optional.empty(), RunOutcome.failed(3, "x"));
    store
        .runLog()
        .begin(new RunRequest("r3", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()), WORKER);
    clock.advance(Duration.ofSeconds(100));
    store.runLog().finish("r3", RunOutcome.succeeded(1, 2, 3, "m"));
    store
        .runLog()
        .enqueue(new RunRequest("r4", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));
    store
        .runLog()
        .enqueue(new RunRequest("r5", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));
    store.runLog().cancel("r5");
    List<List<Object>> counted = rounded(store.totals().finished());
    List<RunTotals.DurationCount> durations = store.totals().durations();
    store.close();

    forgetTheCounts(settingsAgain());
    store = HistoryStore.open(settingsAgain(), clock);

    assertThat(rounded(store.totals().finished())).isEqualTo(counted);
    assertThat(store.totals().durations()).containsExactlyInAnyOrderElementsOf(durations);
    assertThat(durations)
        .containsExactlyInAnyOrder(
            new RunTotals.DurationCount("orders", 15, 2),
            new RunTotals.DurationCount("kpis", 120, 1));
  }

  /** The counts with their durations to the millisecond (SQLite computes them from text). */
  private static List<List<Object>> rounded(List<RunTotals.Finished> counts) {
    return counts.stream()
        .map(
            f ->
                List.<Object>of(
                    f.job(),
                    f.outcome(),
                    f.runs(),
                    f.rows(),
                    f.bytes(),
                    f.files(),
                    Math.round(f.durationSeconds() * 1000),
                    f.lastFinishedAt()))
        .toList();
  }

  /** Takes the database back to before schema version 6, keeping its runs. */
  private static void forgetTheCounts(HistorySettings settings) throws SQLException {
    Properties properties = new Properties();
    settings.user().ifPresent(user -> properties.setProperty("user", user));
    String url = settings.url();
    switch (settings.database()) {
      case H2 -> url = H2Sharing.url(url);
      case SQLITE -> properties.putAll(SqliteFile.settings());
      case POSTGRESQL -> {}
    }
    try (Connection c = DriverManager.getConnection(url, properties);
        Statement statement = c.createStatement()) {
      statement.execute("DROP TABLE run_counts");
      statement.execute("DROP TABLE run_durations");
      statement.execute("DROP INDEX runs_by_job_status");
      statement.execute("DROP INDEX runs_by_end");
      // and what later migrations added, so that the history is as version 5 left it
      statement.execute("ALTER TABLE runs DROP COLUMN schema_drift");
      statement.execute("ALTER TABLE runs DROP COLUMN inputs");
      statement.execute("DROP TABLE alert_notifications");
      statement.execute("DROP TABLE alerts");
      statement.execute(
          "DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('6', '7', '8', '9')");
    }
  }

  /** A run of {@code job} that starts now, takes 10 seconds and ends with {@code outcome}. */
  private void ended(String id, String job, Optional<Instant> slot, RunOutcome outcome) {
    store
        .runLog()
        .begin(
            new RunRequest(
                id, job, slot, slot.isPresent() ? Trigger.SCHEDULE : Trigger.MANUAL, Map.of()),
            WORKER);
    clock.advance(Duration.ofSeconds(10));
    store.runLog().finish(id, outcome);
  }

  @Test
  void anAlertIsOpenedOncePerWindowClearedOnceAndItsDeliveriesKept() {
    Alert slow =
        Alert.open(
            "orders",
            EventType.RUN_SLOW,
            "2026-11-24T01:00:00Z",
            Optional.of("r1"),
            Optional.of("2026-11-23"),
            clock.instant(),
            "run r1 has been running for 21m 00s");
    assertThat(store.alerts().open(slow)).isTrue();
    assertThat(store.alerts().open(slow)).as("the same job, kind and window").isFalse();
    clock.advance(Duration.ofMinutes(1));
    Alert late =
        Alert.open(
            "orders",
            EventType.EXPORT_LATE,
            "2026-11-24T01:00:00Z",
            Optional.empty(),
            Optional.empty(),
            clock.instant(),
            "not published");
    assertThat(store.alerts().open(late)).as("another kind, same window").isTrue();
    assertThat(store.alerts().open(Optional.of("orders"))).containsExactly(slow, late);
    assertThat(store.alerts().open(Optional.of("kpis"))).isEmpty();

    clock.advance(Duration.ofMinutes(5));
    Instant cleared = clock.instant();
    assertThat(store.alerts().clear(slow, "r2")).isTrue();
    assertThat(store.alerts().clear(slow, "r3")).as("cleared once").isFalse();
    assertThat(store.alerts().open(slow)).as("a cleared window is not opened again").isFalse();
    assertThat(store.alerts().open(Optional.empty())).containsExactly(late);
    assertThat(store.alerts().alerts("orders", 10))
        .filteredOn(a -> a.kind() == EventType.RUN_SLOW)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.clearedAt()).contains(cleared);
              assertThat(a.clearedBy()).contains("r2");
            });

    Notification failed =
        new Notification(
            "2026-11-24T01:00:00Z",
            "webhook",
            "export-late to hook https://user:secret@example.invalid/hook",
            1,
            Notification.Delivery.FAILED,
            Optional.of("503"),
            clock.instant());
    store.alerts().recordNotification(late, failed);
    assertThat(store.alerts().notifications(late))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.delivery()).isEqualTo(Notification.Delivery.FAILED);
              assertThat(n.target()).doesNotContain("secret");
              assertThat(n.error()).contains("503");
            });
    assertThat(store.alerts().notifications(slow)).isEmpty();
  }

  @Test
  void theFailedShareCountsEndedAttemptsWithAnExitCodeButNotStoppedOnes() {
    Instant since = clock.instant();
    ended("a1", "orders", Optional.empty(), RunOutcome.succeeded(5, 50, 1, "m"));
    ended("a2", "orders", Optional.empty(), RunOutcome.failed(3, "disk full"));
    ended("a3", "orders", Optional.empty(), RunOutcome.failed(143, "stopped"));
    ended("a4", "kpis", Optional.empty(), RunOutcome.failed(3, "disk full"));
    ended("a5", "orders", Optional.empty(), RunOutcome.failed(2, "bad config"));

    AlertLog.Attempts attempts = store.alerts().attemptsSince("orders", since);
    assertThat(attempts.ended()).isEqualTo(4);
    assertThat(attempts.failed()).isEqualTo(2);
    assertThat(attempts.newestFailed()).contains(new AlertLog.FailedAttempt("a5", 1));
    assertThat(store.alerts().attemptsSince("orders", clock.instant()).ended()).isZero();
  }

  @Test
  void reopeningKeepsTheHistory() {
    store
        .runLog()
        .enqueue(
            new RunRequest(
                "r1",
                "orders",
                Optional.empty(),
                Trigger.BACKFILL,
                Map.of("run_date", "2026-11-01")));
    store.close();

    store = HistoryStore.open(settingsAgain(), clock);

    assertThat(store.runLog().run("r1"))
        .hasValueSatisfying(
            run -> {
              assertThat(run.trigger()).isEqualTo(Trigger.BACKFILL);
              assertThat(run.params()).containsExactly(Map.entry("run_date", "2026-11-01"));
            });
  }

  /** The settings of the database the current test uses, to open it a second time. */
  abstract HistorySettings settingsAgain();

  /**
   * Runs {@code racer} on {@link #RACERS} threads released together; their results in thread order.
   */
  private static <T> List<T> race(Racer<T> racer) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(RACERS);
    CyclicBarrier start = new CyclicBarrier(RACERS);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        int n = i;
        futures.add(
            threads.submit(
                (Callable<T>)
                    () -> {
                      start.await(30, TimeUnit.SECONDS);
                      return racer.run(n);
                    }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface Racer<T> {
    T run(int n) throws Exception;
  }
}
