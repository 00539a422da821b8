package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.JobLoader;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Worker;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.notify.DeliveryLog;
import io.lakeport.notify.ExportStorage;
import io.lakeport.notify.Notifier;
import io.lakeport.notify.NotifyFixtures;
import io.lakeport.notify.Receiver;
import io.lakeport.notify.SchedulerNotifications;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's notifications, on a simulated clock with scripted launches, to a real HTTP
 * endpoint on 127.0.0.1: a failure that is retried is not announced, the last one is (with its
 * attempts), a slot whose execution window closes before it can start is announced as missed (with
 * its slot), and every delivery is in the history.
 */
class SchedulerNotificationsTest {
  @TempDir Path dir;

  @Test
  void runFailedIsSentOnlyAfterTheLastRetry() throws Exception {
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            received.add(in.readAllBytes());
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    TestClock clock = new TestClock(Instant.parse("2026-11-24T00:55:00Z"));
    Site site =
        Site.load(
            Optional.of(
                Fixtures.write(
                    dir,
                    "application.conf",
                    "lakeport {\n"
                        + "  history.url = \"jdbc:h2:file:"
                        + dir.resolve("history/lakeport")
                        + "\"\n"
                        + "  notifications {\n    channels.hook { type = webhook, url = \"http://127.0.0.1:"
                        + server.getAddress().getPort()
                        + "/hook\" }\n    subscriptions.hook { level = info }\n  }\n}\n")));
    Path file =
        Fixtures.write(
            dir.resolve("orders"),
            "job.conf",
            "name = orders\nsource { format = parquet, path = /in }\n"
                + "sink { format = parquet, path = /tmp/out }\nschedule { every = daily, run-time = \"01:00\","
                + " retry { attempts = 2, backoff = fixed, delay = 10m, jitter = 0 } }\n");
    ScheduledJob orders =
        new ScheduledJob(
            Schedule.of(new JobLoader(site).load(file, Map.of(), JobLoader.Mode.RUN)).orElseThrow(),
            file);
    ScriptedLauncher launcher = new ScriptedLauncher(ScriptedLauncher.Ending.WHEN_TOLD);
    try (HistoryStore store = HistoryStore.open(site.history(), clock);
        Notifier notifier = Notifier.start(site, DeliveryLog.of(store), clock)) {
      Scheduler scheduler =
          new Scheduler(
              List.of(orders),
              store,
              launcher,
              clock,
              new SchedulerOptions(
                  2,
                  "scheduler-1",
                  new Worker("host-1", 1),
                  new SplittableRandom(1),
                  Duration.ofMinutes(5),
                  Duration.ofHours(6)));
      scheduler.listen(
          new SchedulerNotifications(
              notifier, Map.of(), new ExportStorage(Map.of()), store, clock));

      clock.advance(Duration.ofMinutes(5));
      scheduler.tick();
      launcher.running().forEach(launch -> launch.fail(3, "storage down"));
      scheduler.tick();
      assertThat(notifier.awaitDeliveries(Duration.ofSeconds(20))).isTrue();
      assertThat(received).as("the first failure is retried, not announced").isEmpty();

      clock.advance(Duration.ofMinutes(10));
      scheduler.tick();
      launcher.running().forEach(launch -> launch.fail(3, "storage still down"));
      scheduler.tick();
      assertThat(notifier.awaitDeliveries(Duration.ofSeconds(20))).isTrue();

      List<JsonNode> events = new ArrayList<>();
      for (byte[] body : received) {
        events.add(new ObjectMapper().readTree(body));
      }
      assertThat(events)
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.get("event").asText()).isEqualTo("run-failed");
                assertThat(event.get("attempts").asInt()).isEqualTo(2);
                assertThat(event.get("logical_date").asText()).isEqualTo("2026-11-23");
                assertThat(event.get("error").asText()).contains("storage still down");
              });
      String runId = events.get(0).get("run_id").asText();
      assertThat(store.deliveries().notifications(runId))
          .extracting(Notification::delivery)
          .containsExactly(Notification.Delivery.SENT);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aSlotWhoseExecutionWindowClosesBeforeItCanStartIsAnnouncedAsMissed() throws Exception {
    try (Receiver receiver = Receiver.answering()) {
      TestClock clock = new TestClock(Instant.parse("2026-11-24T00:50:00Z"));
      Site site = site(receiver.url("/hook").toString(), "warning");
      ScheduledJob kpis = job(site, "kpis", "every = daily, run-time = \"00:55\"");
      ScheduledJob orders =
          job(
              site,
              "orders",
              "every = daily, run-time = \"01:00\", execution-window { start = \"01:00\", end = \"01:30\" }");
      ScriptedLauncher launcher = new ScriptedLauncher(ScriptedLauncher.Ending.WHEN_TOLD);
      try (HistoryStore store = HistoryStore.open(site.history(), clock);
          Notifier notifier = Notifier.start(site, DeliveryLog.of(store), clock)) {
        // one run at a time, so a long kpis run keeps orders from starting
        Scheduler scheduler = scheduler(List.of(kpis, orders), 1, store, launcher, notifier, clock);

        clock.advance(Duration.ofMinutes(6));
        scheduler.tick();
        assertThat(launcher.launches()).as("kpis started at 00:56").hasSize(1);
        clock.advance(Duration.ofMinutes(5));
        scheduler.tick();
        assertThat(launcher.launches()).as("orders' 01:00 slot waits for kpis").hasSize(1);
        clock.advance(Duration.ofMinutes(30));
        scheduler.tick();
        assertThat(notifier.awaitDeliveries(Duration.ofSeconds(20))).isTrue();

        JsonNode payload =
            new ObjectMapper().readTree(receiver.next(Duration.ofSeconds(20)).body());
        assertThat(NotifyFixtures.schemaProblems(payload)).isEmpty();
        assertThat(payload.get("event").asText()).isEqualTo("schedule-missed");
        assertThat(payload.get("level").asText()).isEqualTo("warning");
        assertThat(payload.get("job").asText()).isEqualTo("orders");
        assertThat(payload.get("status").asText()).isEqualTo("skipped");
        assertThat(payload.get("slot").asText()).isEqualTo("2026-11-24T01:00:00Z");
        assertThat(payload.get("logical_date").asText()).isEqualTo("2026-11-23");
        assertThat(payload.get("attempts").asInt()).isZero();
        String runId = payload.get("run_id").asText();
        assertThat(payload.get("error").asText())
            .isEqualTo(
                "Cannot start run "
                    + runId
                    + " of job orders for"
                    + " 2026-11-24T01:00Z[UTC]: its execution window (daily at 01:00, starting between 01:00 and 01:30) closed"
                    + " before it could start");
        assertThat(store.runLog().run(runId).orElseThrow().status()).isEqualTo(RunStatus.SKIPPED);
        assertThat(store.deliveries().notifications(runId))
            .extracting(Notification::delivery)
            .containsExactly(Notification.Delivery.SENT);
        assertThat(receiver.count()).as("nothing else: kpis is still running").isZero();
      }
    }
  }

  @Test
  void aRunItsSchemaDriftPolicyRefusedIsNotRetriedAndAnnouncedWithTheChanges() throws Exception {
    try (Receiver receiver = Receiver.answering()) {
      TestClock clock = new TestClock(Instant.parse("2026-11-24T00:55:00Z"));
      Site site = site(receiver.url("/hook").toString(), "warning");
      ScheduledJob orders =
          job(
              site,
              "orders",
              "every = daily, run-time = \"01:00\", retry { attempts = 3, backoff = fixed, delay"
                  + " = 1m, jitter = 0 }");
      ScriptedLauncher launcher = new ScriptedLauncher(ScriptedLauncher.Ending.WHEN_TOLD);
      try (HistoryStore store = HistoryStore.open(site.history(), clock);
          Notifier notifier = Notifier.start(site, DeliveryLog.of(store), clock)) {
        Scheduler scheduler = scheduler(List.of(orders), 1, store, launcher, notifier, clock);
        clock.advance(Duration.ofMinutes(6));
        scheduler.tick();
        ScriptedLauncher.ScriptedLaunch launch = launcher.running().get(0);
        String runId = launch.request().runId();
        // as the driver records it before it exits (RunLifecycle under the scheduler)
        SchemaDrift drift =
            new SchemaDrift(
                "run 20261123T010000000Z-0a1b2c",
                List.of(
                    new SchemaDrift.Change("added", "senior", null, "boolean", "warn"),
                    new SchemaDrift.Change("removed", "age", "int", null, "fail")));
        store.runLog().schemaDrift(runId, drift.toJson());
        launch.fail(5, "Cannot publish the export for job orders: schema changed");
        scheduler.tick();
        clock.advance(Duration.ofMinutes(5));
        scheduler.tick();
        assertThat(notifier.awaitDeliveries(Duration.ofSeconds(20))).isTrue();

        assertThat(launcher.launches()).as("a refusal is never retried").hasSize(1);
        assertThat(store.runLog().run(runId).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
        Map<String, JsonNode> byEvent = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
          JsonNode payload =
              new ObjectMapper().readTree(receiver.next(Duration.ofSeconds(20)).body());
          assertThat(NotifyFixtures.schemaProblems(payload)).isEmpty();
          byEvent.put(payload.get("event").asText(), payload);
        }
        assertThat(byEvent).containsOnlyKeys("run-failed", "schema-changed");
        JsonNode changed = byEvent.get("schema-changed");
        assertThat(changed.get("run_id").asText()).isEqualTo(runId);
        assertThat(changed.get("status").asText()).isEqualTo("failed");
        assertThat(changed.get("logical_date").asText()).isEqualTo("2026-11-23");
        assertThat(SchemaDrift.fromJson(changed.get("schema_drift").toString())).isEqualTo(drift);
        assertThat(store.deliveries().notifications(runId))
            .extracting(Notification::delivery)
            .containsExactly(Notification.Delivery.SENT, Notification.Delivery.SENT);
      }
    }
  }

  private Site site(String hook, String level) {
    return Site.load(
        Optional.of(
            Fixtures.write(
                dir,
                "application.conf",
                "lakeport {\n"
                    + "  history.url = \"jdbc:h2:file:"
                    + dir.resolve("history/lakeport")
                    + "\"\n"
                    + "  notifications {\n    channels.hook { type = webhook, url = \""
                    + hook
                    + "\" }\n"
                    + "    subscriptions.hook { level = "
                    + level
                    + " }\n  }\n}\n")));
  }

  /**
   * A scheduler of {@code jobs} running {@code parallel} at a time, announcing to {@code notifier}.
   */
  private static Scheduler scheduler(
      List<ScheduledJob> jobs,
      int parallel,
      HistoryStore store,
      ScriptedLauncher launcher,
      Notifier notifier,
      TestClock clock) {
    Scheduler scheduler =
        new Scheduler(
            jobs,
            store,
            launcher,
            clock,
            new SchedulerOptions(
                parallel,
                "scheduler-1",
                new Worker("host-1", 1),
                new SplittableRandom(1),
                Duration.ofMinutes(5),
                Duration.ofHours(6)));
    scheduler.listen(
        new SchedulerNotifications(notifier, Map.of(), new ExportStorage(Map.of()), store, clock));
    return scheduler;
  }

  private ScheduledJob job(Site site, String name, String schedule) {
    Path file =
        Fixtures.write(
            dir.resolve(name),
            "job.conf",
            "name = "
                + name
                + "\ntime-zone = UTC\nwindow = day\n"
                + "source { format = parquet, path = /in }\nsink { format = parquet, path = /tmp/out/"
                + name
                + " }\n"
                + "schedule {\n"
                + schedule
                + "\n}\n");
    return new ScheduledJob(
        Schedule.of(new JobLoader(site).load(file, Map.of(), JobLoader.Mode.RUN)).orElseThrow(),
        file);
  }
}
