package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.EventType;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.history.Alert;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import io.lakeport.history.Worker;
import io.lakeport.notify.DeliveryLog;
import io.lakeport.notify.ExportStorage;
import io.lakeport.notify.Notifier;
import io.lakeport.notify.NotifyFixtures;
import io.lakeport.notify.Receiver;
import io.lakeport.notify.SchedulerNotifications;
import io.lakeport.schedule.ScriptedLauncher.ScriptedLaunch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's alerts on a simulated clock with the real run history (H2) and scripted launches,
 * sent to a real webhook on 127.0.0.1: a slow run, a late export (nothing ran: the scheduler was
 * down over the slot), a failure-rate crossing and a rows drop each open exactly once for their
 * window however many passes see them, go out as their event (checked against the webhook's JSON
 * schema), have their delivery recorded, and are cleared by a good run.
 */
class AlertsTest {
  @TempDir Path dir;

  @Test
  void aSlowRunIsAlertedOnceWhileItRunsAndClearedByARunInTime() throws Exception {
    try (World world = new World("slower-than = 2x, baseline-runs = 3", "")) {
      // three runs of 10 minutes: the median is 10 minutes, the limit 20
      for (int day = 25; day <= 27; day++) {
        world.run(day, Duration.ofMinutes(10), launch -> launch.succeed(100));
      }
      assertThat(world.events()).isEmpty();

      world.at("2026-11-28T01:00:00Z");
      ScriptedLaunch slow = world.launcher.running().get(0);
      world.at("2026-11-28T01:15:00Z");
      assertThat(world.events()).as("15 minutes is within 2x the median").isEmpty();
      world.at("2026-11-28T01:21:00Z");
      world.at("2026-11-28T01:30:00Z");
      slow.succeed(100);
      world.at("2026-11-28T01:40:00Z");

      List<JsonNode> events = world.events();
      assertThat(events).hasSize(1);
      JsonNode event = events.get(0);
      assertThat(event.get("event").asText()).isEqualTo("run-slow");
      assertThat(event.get("level").asText()).isEqualTo("warning");
      assertThat(event.get("run_id").asText()).isEqualTo(slow.request().runId());
      assertThat(event.get("logical_date").asText()).isEqualTo("2026-11-27");
      assertThat(event.get("alert").get("window").asText()).isEqualTo("2026-11-28T01:00:00Z");
      assertThat(event.get("alert").get("detail").asText())
          .isEqualTo(
              "run "
                  + slow.request().runId()
                  + " has been running for 21m 00s, over 2x the median of its last 3 successful"
                  + " runs (10m 00s)");
      Alert alert = world.onlyOpen(EventType.RUN_SLOW);
      world.assertDelivered(alert);

      world.run(29, Duration.ofMinutes(12), launch -> launch.succeed(100));
      assertThat(world.events()).isEmpty();
      world.assertClearedBy(alert, world.launcher.launches().get(4).request().runId());
    }
  }

  @Test
  void anExportNotPublishedByItsDeadlineIsAlertedOnceEvenWithNoRunAndClearedByTheNextPublication()
      throws Exception {
    try (World world = new World("late-after = \"03:00\"", ", misfire = none")) {
      world.run(25, Duration.ofMinutes(10), launch -> launch.succeed(100));
      world.at("2026-11-26T00:50:00Z");
      // the scheduler is down from 00:50 to 03:05: the 01:00 slot is missed and skipped (misfire =
      // none), so nothing runs for run_date 2026-11-25
      world.at("2026-11-26T03:05:00Z");
      world.at("2026-11-26T03:30:00Z");
      world.at("2026-11-26T12:00:00Z");
      assertThat(world.launcher.launches()).hasSize(1);

      List<JsonNode> events = world.eventsOf("export-late");
      assertThat(events).hasSize(1);
      JsonNode event = events.get(0);
      assertThat(event.get("level").asText()).isEqualTo("error");
      assertThat(event.get("slot").asText()).isEqualTo("2026-11-26T01:00:00Z");
      assertThat(event.get("logical_date").asText()).isEqualTo("2026-11-25");
      assertThat(event.get("run_id").asText())
          .isEqualTo(Scheduler.runId("orders", Instant.parse("2026-11-26T01:00:00Z")));
      assertThat(event.get("alert").get("detail").asText())
          .isEqualTo(
              "run_date 2026-11-25 (due 2026-11-26T01:00) was not published by 2026-11-26T03:00"
                  + " UTC (late-after = 03:00)");
      Alert alert = world.onlyOpen(EventType.EXPORT_LATE);
      world.assertDelivered(alert);

      world.run(27, Duration.ofMinutes(10), launch -> launch.succeed(100));
      world.at("2026-11-27T04:00:00Z");
      assertThat(world.events()).as("the next window was published in time").isEmpty();
      world.assertClearedBy(alert, world.launcher.launches().get(1).request().runId());
    }
  }

  @Test
  void aFailureRateCrossingIsAlertedOnceUntilAGoodRunAndAgainOnlyWhenItCrossesAgain()
      throws Exception {
    try (World world =
        new World(
            "failure-rate-over = \"40% over 24h\"",
            ", retry { attempts = 3, backoff = fixed, delay = 10m, jitter = 0 }")) {
      world.run(25, Duration.ofMinutes(10), launch -> launch.succeed(100));
      world.run(26, Duration.ofMinutes(5), launch -> launch.fail(3, "storage down"));
      // 1 of 2 attempts in 24h failed: 50%, over 40%
      List<JsonNode> first = world.eventsOf("failure-rate");
      assertThat(first).hasSize(1);
      assertThat(first.get(0).get("alert").get("detail").asText())
          .isEqualTo(
              "1 of the 2 attempts that ended in the last 24h 00m failed (50%), over the 40% the"
                  + " job allows");
      Alert alert = world.onlyOpen(EventType.FAILURE_RATE);
      world.assertDelivered(alert);

      // the retry fails too (2 of 3): the same crossing, still one alert
      world.at("2026-11-26T01:16:00Z");
      world.launcher.running().get(0).fail(3, "storage still down");
      world.at("2026-11-26T01:20:00Z");
      assertThat(world.eventsOf("failure-rate")).isEmpty();

      // the third attempt succeeds: the alert is cleared, though the rate (2 of 4) is still over
      world.at("2026-11-26T01:31:00Z");
      ScriptedLaunch third = world.launcher.running().get(0);
      third.succeed(100);
      world.at("2026-11-26T01:40:00Z");
      assertThat(world.eventsOf("failure-rate")).isEmpty();
      world.assertClearedBy(alert, third.request().runId());

      // a new failure crosses again: a new alert
      world.run(27, Duration.ofMinutes(5), launch -> launch.fail(3, "storage down again"));
      assertThat(world.eventsOf("failure-rate")).hasSize(1);
      assertThat(world.store.alerts().open(Optional.of("orders")))
          .singleElement()
          .satisfies(a -> assertThat(a.window()).isNotEqualTo(alert.window()));
    }
  }

  @Test
  void aRowsDropIsAlertedOnceForItsRunAndClearedByARunThatDoesNotDrop() throws Exception {
    try (World world = new World("rows-drop-over = \"50%\"", "")) {
      world.run(25, Duration.ofMinutes(10), launch -> launch.succeed(1000));
      world.run(26, Duration.ofMinutes(10), launch -> launch.succeed(600));
      assertThat(world.events()).as("a 40% drop is within 50%").isEmpty();
      // as scheduler start --once ends: its pass started the run, and it waits for the run
      world.at("2026-11-27T01:00:00Z");
      ScriptedLaunch shrinking = world.launcher.running().get(0);
      world.clock.advance(Duration.ofMinutes(10));
      shrinking.succeed(250);
      world.scheduler.awaitRuns();
      assertThat(world.eventsOf("rows-dropped")).as("raised by the --once run's end").hasSize(1);
      world.at("2026-11-27T02:00:00Z");
      world.at("2026-11-27T09:00:00Z");

      assertThat(world.events()).as("not again at later passes").isEmpty();
      List<JsonNode> events = world.delivered("rows-dropped");
      assertThat(events).hasSize(1);
      String dropped = world.launcher.launches().get(2).request().runId();
      String before = world.launcher.launches().get(1).request().runId();
      assertThat(events.get(0).get("event").asText()).isEqualTo("rows-dropped");
      assertThat(events.get(0).get("run_id").asText()).isEqualTo(dropped);
      assertThat(events.get(0).get("alert").get("detail").asText())
          .isEqualTo(
              "run "
                  + dropped
                  + " wrote 250 rows, 58% fewer than run "
                  + before
                  + " (600), over the 50% the job allows");
      Alert alert = world.onlyOpen(EventType.ROWS_DROPPED);
      world.assertDelivered(alert);

      world.run(28, Duration.ofMinutes(10), launch -> launch.succeed(260));
      assertThat(world.events()).isEmpty();
      world.assertClearedBy(alert, world.launcher.launches().get(3).request().runId());
    }
  }

  /**
   * A daily job {@code orders} at 01:00 UTC with the alerts given, its scheduler on a clock at
   * 2026-11-25T00:55Z, the history, and a webhook subscribed at level warning.
   */
  private final class World implements AutoCloseable {
    final Receiver receiver = Receiver.answering();
    final TestClock clock = new TestClock(Instant.parse("2026-11-25T00:55:00Z"));
    final ScriptedLauncher launcher = new ScriptedLauncher(ScriptedLauncher.Ending.WHEN_TOLD);
    final List<JsonNode> delivered = new ArrayList<>();
    final HistoryStore store;
    final Notifier notifier;
    final Scheduler scheduler;

    World(String alerts, String schedule) throws Exception {
      Site site =
          Site.load(
              Optional.of(
                  Fixtures.write(
                      dir,
                      "application.conf",
                      "lakeport {\n  history.url = \"jdbc:h2:file:"
                          + dir.resolve("history/lakeport")
                          + "\"\n  notifications {\n    channels.hook { type = webhook, url = \""
                          + receiver.url("/hook")
                          + "\" }\n    subscriptions.hook { level = warning }\n  }\n}\n")));
      Path file =
          Fixtures.write(
              dir.resolve("orders"),
              "job.conf",
              "name = orders\ntime-zone = UTC\n"
                  + "source { format = parquet, path = /in }\nsink { format = parquet, path ="
                  + " /tmp/out }\nschedule { every = daily, run-time = \"01:00\""
                  + schedule
                  + " }\nalerts { "
                  + alerts
                  + " }\n");
      JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.RUN);
      Schedule daily = Schedule.of(job).orElseThrow();
      store = HistoryStore.open(site.history(), clock);
      notifier = Notifier.start(site, DeliveryLog.of(store), clock);
      scheduler =
          new Scheduler(
              List.of(new ScheduledJob(daily, file)),
              store,
              launcher,
              clock,
              new SchedulerOptions(
                  1,
                  "scheduler-1",
                  new Worker("host-1", 1),
                  new SplittableRandom(1),
                  Duration.ofMinutes(5),
                  Duration.ofHours(6)));
      scheduler.listen(
          new SchedulerNotifications(
              notifier, Map.of(), new ExportStorage(Map.of()), store, clock));
      scheduler.watch(List.of(new AlertWatch.Watched("orders", job.alerts(), Optional.of(daily))));
    }

    /** Moves the clock to {@code instant} and makes a pass. */
    void at(String instant) {
      clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
      scheduler.tick();
    }

    /**
     * The run of the slot at 01:00 on {@code day} of November 2026: started at its slot, ended by
     * {@code end} after {@code took}, recorded by the pass then.
     */
    void run(int day, Duration took, java.util.function.Consumer<ScriptedLaunch> end) {
      Instant slot = Instant.parse("2026-11-%02dT01:00:00Z".formatted(day));
      at(slot.toString());
      ScriptedLaunch launch = launcher.running().get(0);
      assertThat(launch.request().runId()).isEqualTo(Scheduler.runId("orders", slot));
      clock.advance(Duration.between(clock.instant(), slot.plus(took)));
      end.accept(launch);
      scheduler.tick();
    }

    /** The payloads delivered since the last call, each checked against the webhook schema. */
    List<JsonNode> events() throws Exception {
      assertThat(notifier.awaitDeliveries(Duration.ofSeconds(20))).isTrue();
      List<JsonNode> events = new ArrayList<>();
      while (receiver.count() > 0) {
        JsonNode payload = new ObjectMapper().readTree(receiver.next(Duration.ofSeconds(5)).body());
        assertThat(NotifyFixtures.schemaProblems(payload)).as(payload.toString()).isEmpty();
        events.add(payload);
      }
      delivered.addAll(events);
      return events;
    }

    /** Every payload of one event type delivered so far. */
    List<JsonNode> delivered(String type) {
      return delivered.stream().filter(e -> e.get("event").asText().equals(type)).toList();
    }

    /** The payloads of one event type delivered since the last call (the others dropped). */
    List<JsonNode> eventsOf(String type) throws Exception {
      return events().stream().filter(e -> e.get("event").asText().equals(type)).toList();
    }

    Alert onlyOpen(EventType kind) {
      List<Alert> open = store.alerts().open(Optional.of("orders"));
      assertThat(open).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo(kind));
      return open.get(0);
    }

    void assertDelivered(Alert alert) {
      assertThat(store.alerts().notifications(alert))
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.delivery()).isEqualTo(Notification.Delivery.SENT);
                assertThat(n.target())
                    .startsWith(alert.kind().text() + " to hook http://127.0.0.1:");
              });
    }

    void assertClearedBy(Alert alert, String runId) {
      assertThat(store.alerts().open(Optional.of("orders"))).isEmpty();
      assertThat(store.alerts().alerts("orders", 10))
          .filteredOn(a -> a.window().equals(alert.window()) && a.kind() == alert.kind())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.clearedBy()).contains(runId);
                assertThat(a.clearedAt()).isPresent();
              });
    }

    @Override
    public void close() {
      notifier.close();
      store.close();
      receiver.close();
    }
  }
}
