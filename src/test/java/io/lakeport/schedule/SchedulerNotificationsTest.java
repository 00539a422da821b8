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
import io.lakeport.history.Worker;
import io.lakeport.notify.DeliveryLog;
import io.lakeport.notify.ExportStorage;
import io.lakeport.notify.Notifier;
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
 * attempts), and every delivery is in the history.
 */
class SchedulerNotificationsTest {
  @TempDir Path dir;

  @Test
  void runFailedIsSentOnlyAfterTheLastRetry() throws Exception {
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        received.add(in.readAllBytes());
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    TestClock clock = new TestClock(Instant.parse("2026-11-24T00:55:00Z"));
    Site site = Site.load(Optional.of(Fixtures.write(dir, "application.conf", "lakeport {\n"
        + "  history.url = \"jdbc:h2:file:" + dir.resolve("history/lakeport") + "\"\n"
        + "  notifications {\n    channels.hook { type = webhook, url = \"http://127.0.0.1:" + server.getAddress().getPort()
        + "/hook\" }\n    subscriptions.hook { level = info }\n  }\n}\n")));
    Path file = Fixtures.write(dir.resolve("orders"), "job.conf", "name = orders\nsource { format = parquet, path = /in }\n"
        + "sink { format = parquet, path = /out }\nschedule { every = daily, run-time = \"01:00\","
        + " retry { attempts = 2, backoff = fixed, delay = 10m, jitter = 0 } }\n");
    ScheduledJob orders = new ScheduledJob(Schedule.of(new JobLoader(site).load(file, Map.of(), JobLoader.Mode.RUN))
        .orElseThrow(), file);
    ScriptedLauncher launcher = new ScriptedLauncher(ScriptedLauncher.Ending.WHEN_TOLD);
    try (HistoryStore store = HistoryStore.open(site.history(), clock);
        Notifier notifier = Notifier.start(site, DeliveryLog.of(store), clock)) {
      Scheduler scheduler = new Scheduler(List.of(orders), store, launcher, clock, new SchedulerOptions(2, "scheduler-1",
          new Worker("host-1", 1), new SplittableRandom(1), Duration.ofMinutes(5), Duration.ofHours(6)));
      scheduler.listen(new SchedulerNotifications(notifier, Map.of(), new ExportStorage(Map.of()), store, clock));

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
      assertThat(events).singleElement().satisfies(event -> {
        assertThat(event.get("event").asText()).isEqualTo("run-failed");
        assertThat(event.get("attempts").asInt()).isEqualTo(2);
        assertThat(event.get("logical_date").asText()).isEqualTo("2026-11-23");
        assertThat(event.get("error").asText()).contains("storage still down");
      });
      String runId = events.get(0).get("run_id").asText();
      assertThat(store.notifications(runId)).extracting(Notification::delivery).containsExactly(Notification.Delivery.SENT);
    } finally {
      server.stop(0);
    }
  }
}
