package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunStatus;
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
 * Jobs that wait for other jobs ({@code schedule.after}) on a simulated clock, with the real run
 * history (H2) and scripted launches: a downstream job's run waits past its slot for both upstream
 * jobs to publish its window, starts at the pass that records the second publication, and, when one
 * never publishes, is skipped at its upstream timeout with the reason and an upstream-late event
 * (sent to a real webhook on 127.0.0.1 and checked against the webhook's JSON schema).
 */
class UpstreamTest {
  @TempDir Path dir;

  @Test
  void aDownstreamRunWaitsForBothUpstreamsAndStartsAtThePassOfTheSecondPublication()
      throws Exception {
    try (World world = new World()) {
      world.at("2026-11-26T01:00:00Z");
      ScriptedLaunch orders = world.running("orders-daily");
      world.at("2026-11-26T01:30:00Z");
      ScriptedLaunch customers = world.running("customers-daily");
      world.at("2026-11-26T02:00:00Z");
      assertThat(world.launched("joined")).as("both upstreams still running").isEmpty();
      assertThat(world.run("joined", "2026-11-26T02:00:00Z").status()).isEqualTo(RunStatus.QUEUED);

      orders.succeed(100);
      world.at("2026-11-26T02:10:00Z");
      world.at("2026-11-26T02:20:00Z");
      assertThat(world.launched("joined")).as("customers has not published").isEmpty();

      customers.succeed(10);
      world.at("2026-11-26T02:41:00Z");
      assertThat(world.launched("joined"))
          .singleElement()
          .satisfies(
              launch -> {
                assertThat(launch.request().runId())
                    .isEqualTo(Scheduler.runId("joined", Instant.parse("2026-11-26T02:00:00Z")));
                assertThat(launch.request().params()).containsEntry("run_date", "2026-11-25");
              });
      assertThat(world.run("joined", "2026-11-26T02:00:00Z").startedAt())
          .contains(Instant.parse("2026-11-26T02:41:00Z"));
      assertThat(world.events()).noneMatch(e -> e.get("event").asText().equals("upstream-late"));
    }
  }

  @Test
  void aRunWhoseUpstreamNeverPublishesIsSkippedAtItsTimeoutWithAnUpstreamLateEvent()
      throws Exception {
    try (World world = new World()) {
      world.at("2026-11-26T01:00:00Z");
      world.running("orders-daily").succeed(100);
      world.at("2026-11-26T01:30:00Z");
      world.running("customers-daily").fail(3, "the customer database does not answer");
      world.at("2026-11-26T02:00:00Z");
      world.at("2026-11-26T04:59:00Z");
      assertThat(world.run("joined", "2026-11-26T02:00:00Z").status()).isEqualTo(RunStatus.QUEUED);

      world.at("2026-11-26T05:00:00Z");
      Run skipped = world.run("joined", "2026-11-26T02:00:00Z");
      assertThat(skipped.status()).isEqualTo(RunStatus.SKIPPED);
      String reason =
          "upstream job customers-daily has not published run_date 2026-11-25 within 3h 00m of"
              + " the slot (schedule.upstream-timeout), so run "
              + skipped.id()
              + " did not start";
      assertThat(skipped.error()).contains(reason);
      world.at("2026-11-26T06:00:00Z");
      assertThat(world.launched("joined")).isEmpty();

      List<JsonNode> late =
          world.events().stream()
              .filter(e -> e.get("event").asText().equals("upstream-late"))
              .toList();
      assertThat(late).hasSize(1);
      JsonNode event = late.get(0);
      assertThat(event.get("level").asText()).isEqualTo("warning");
      assertThat(event.get("job").asText()).isEqualTo("joined");
      assertThat(event.get("status").asText()).isEqualTo("skipped");
      assertThat(event.get("run_id").asText()).isEqualTo(skipped.id());
      assertThat(event.get("slot").asText()).isEqualTo("2026-11-26T02:00:00Z");
      assertThat(event.get("logical_date").asText()).isEqualTo("2026-11-25");
      assertThat(event.get("error").asText()).isEqualTo(reason);
    }
  }

  /** Two upstream jobs and one that waits for both, on one scheduler and history. */
  private final class World implements AutoCloseable {
    final Receiver receiver = Receiver.answering();
    final TestClock clock = new TestClock(Instant.parse("2026-11-26T00:55:00Z"));
    final ScriptedLauncher launcher = new ScriptedLauncher(ScriptedLauncher.Ending.WHEN_TOLD);
    final HistoryStore store;
    final Notifier notifier;
    final Scheduler scheduler;

    World() throws Exception {
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
      List<ScheduledJob> jobs = new ArrayList<>();
      jobs.add(job(site, "orders-daily", "run-time = \"01:00\""));
      jobs.add(job(site, "customers-daily", "run-time = \"01:30\""));
      jobs.add(
          job(
              site,
              "joined",
              "run-time = \"02:00\", after = [orders-daily, customers-daily],"
                  + " upstream-timeout = 3h"));
      store = HistoryStore.open(site.history(), clock);
      notifier = Notifier.start(site, DeliveryLog.of(store), clock);
      scheduler =
          new Scheduler(
              jobs,
              store,
              launcher,
              clock,
              new SchedulerOptions(
                  3,
                  "scheduler-1",
                  new Worker("host-1", 1),
                  new SplittableRandom(1),
                  Duration.ofMinutes(5),
                  Duration.ofHours(6)));
      scheduler.listen(
          new SchedulerNotifications(
              notifier, Map.of(), new ExportStorage(Map.of()), store, clock));
    }

    private ScheduledJob job(Site site, String name, String schedule) {
      Path file =
          Fixtures.write(
              dir.resolve("jobs"),
              name + ".conf",
              "name = "
                  + name
                  + "\ntime-zone = UTC\nsource { format = parquet, path = /in }\n"
                  + "sink { format = parquet, path = /tmp/out/"
                  + name
                  + " }\nschedule { every = daily, "
                  + schedule
                  + ", retry.attempts = 1 }\n");
      JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.RUN);
      return new ScheduledJob(Schedule.of(job).orElseThrow(), file);
    }

    /** Moves the clock to {@code instant} and makes a pass. */
    void at(String instant) {
      clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
      scheduler.tick();
    }

    ScriptedLaunch running(String job) {
      return launcher.running().stream()
          .filter(l -> l.request().job().equals(job))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no run of " + job + " is running"));
    }

    List<ScriptedLaunch> launched(String job) {
      return launcher.launches().stream().filter(l -> l.request().job().equals(job)).toList();
    }

    Run run(String job, String slot) {
      return store.runLog().run(Scheduler.runId(job, Instant.parse(slot))).orElseThrow();
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
      return events;
    }

    @Override
    public void close() {
      notifier.close();
      store.close();
    }
  }
}
