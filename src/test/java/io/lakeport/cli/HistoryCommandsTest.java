package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.HistorySettings;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport history}, {@code status} and {@code stats} as users call them, against a real H2
 * history in a temporary folder that the test fills through the store.
 */
class HistoryCommandsTest {
  private static final Worker WORKER = new Worker("etl-1", 4242);

  @TempDir Path dir;
  private Path site;
  private final TestClock clock = TestClock.at("2026-11-24T02:00:00Z");
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void siteWithAHistoryInTheTemporaryFolder() {
    site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport.history.url = \"jdbc:h2:file:" + dir.resolve("history/lakeport") + "\"\n");
  }

  @Test
  void historyListsRunsNewestFirstAndFilters() {
    try (HistoryStore store = store()) {
      succeeded(store, "20261124T020000Z-aaaaaa", "orders", Duration.ofSeconds(95), 1_200, 34_567);
      failed(store, "20261124T021000Z-bbbbbb", "kpis", Duration.ofMillis(4_400));
      store
          .runLog()
          .enqueue(
              new RunRequest(
                  "20261124T022000Z-cccccc",
                  "orders",
                  Optional.empty(),
                  Trigger.BACKFILL,
                  Map.of()));
    }

    assertThat(lakeport("history")).isZero();
    assertThat(out.toString())
        .isEqualTo(
            """
        RUN ID                   JOB     TRIGGER   STATUS     STARTED               DURATION   ROWS   BYTES
        20261124T022000Z-cccccc  orders  backfill  queued     -                            -      -       -
        20261124T021000Z-bbbbbb  kpis    schedule  failed     2026-11-24T02:01:35Z      4.4s      -       -
        20261124T020000Z-aaaaaa  orders  manual    succeeded  2026-11-24T02:00:00Z    1m 35s  1,200  34,567
        """);

    out.getBuffer().setLength(0);
    assertThat(lakeport("history", "--job", "orders", "--status", "succeeded", "--limit", "5"))
        .isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "RUN ID                   JOB     TRIGGER  STATUS     STARTED               DURATION   ROWS   BYTES",
            "20261124T020000Z-aaaaaa  orders  manual   succeeded  2026-11-24T02:00:00Z    1m 35s  1,200  34,567");

    out.getBuffer().setLength(0);
    assertThat(lakeport("history", "--job", "nightly")).isZero();
    assertThat(out.toString()).isEqualTo("No runs recorded for job nightly.\n");
  }

  @Test
  void historyRefusesAnUnknownStatusWithTheValidOnes() {
    assertThat(lakeport("history", "--status", "done")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "Unknown status \"done\". Expected one of: queued, running, succeeded, failed,"
                + " skipped, cancelled, interrupted, lost.\n");
  }

  @Test
  void statusShowsEveryFieldOfTheRunItsAttemptsAndNotifications() {
    try (HistoryStore store = store()) {
      String id = "20261124T020000Z-aaaaaa";
      store
          .runLog()
          .enqueue(
              new RunRequest(
                  id,
                  "orders",
                  Optional.of(Instant.parse("2026-11-24T02:00:00Z")),
                  Trigger.SCHEDULE,
                  Map.of("run_date", "2026-11-23")));
      store.runLog().start(id, WORKER);
      clock.advance(Duration.ofSeconds(10));
      store
          .runLog()
          .finish(
              id,
              RunOutcome.failed(
                  3,
                  "Cannot write the export for job orders (run "
                      + id
                      + "): disk full\n"
                      + "caused by: IOException: No space left on device"));
      clock.advance(Duration.ofSeconds(50));
      store.runLog().start(id, new Worker("etl-2", 77));
      clock.advance(Duration.ofSeconds(30));
      store
          .runLog()
          .finish(
              id,
              RunOutcome.succeeded(
                  1_200, 34_567, 3, "file:/exports/orders/_lakeport/manifest-" + id + ".json"));
      store
          .deliveries()
          .recordNotification(
              new Notification(
                  id,
                  "webhook",
                  "https://hooks.example/x?token=abc",
                  1,
                  Notification.Delivery.FAILED,
                  Optional.of("HTTP 503"),
                  clock.instant()));
    }

    assertThat(lakeport("status", "20261124T020000Z-aaaaaa")).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            """
        run       20261124T020000Z-aaaaaa
        job       orders
        trigger   schedule
        slot      2026-11-24T02:00:00Z
        status    succeeded
        params    run_date=2026-11-23
        queued    2026-11-24T02:00:00Z
        started   2026-11-24T02:00:00Z
        finished  2026-11-24T02:01:30Z
        duration  1m 30s
        rows      1,200
        bytes     34,567
        files     3
        manifest  file:/exports/orders/_lakeport/manifest-20261124T020000Z-aaaaaa.json
        error     -
        schema    -
        attempts:
          #1  2026-11-24T02:00:00Z -> 2026-11-24T02:00:10Z  exit 3  on etl-1 (pid 4242)
              error: Cannot write the export for job orders (run 20261124T020000Z-aaaaaa): disk full
              caused by: IOException: No space left on device
          #2  2026-11-24T02:01:00Z -> 2026-11-24T02:01:30Z  exit 0  on etl-2 (pid 77)
        notifications:
          2026-11-24T02:01:30Z  webhook https://hooks.example/x?token=***  attempt 1  failed: HTTP 503
        alerts:
          none
        """);
  }

  @Test
  void statusOfAnUnknownRunIsAUsageError() {
    assertThat(lakeport("status", "20261124T020000Z-ffffff")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "No run 20261124T020000Z-ffffff in the run history. lakeport history lists the runs recorded.\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void statsGiveSuccessRateDurationsAndSizesPerJobSinceADate() {
    try (HistoryStore store = store()) {
      long[] seconds = {10, 20, 30, 40};
      for (int i = 0; i < seconds.length; i++) {
        succeeded(
            store,
            "ok-" + i,
            "orders",
            Duration.ofSeconds(seconds[i]),
            100 * (i + 1),
            1_000_000 * (i + 1));
      }
      failed(store, "failed-1", "orders", Duration.ofSeconds(200));
      succeeded(store, "kpis-1", "kpis", Duration.ofMinutes(90), 7, 70);
    }

    assertThat(lakeport("stats", "--since", "2026-11-24")).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            """
        Runs queued since 2026-11-24T00:00:00Z:
        JOB     RUNS  SUCCEEDED  FAILED  SUCCESS  MEDIAN     P95  ROWS/RUN  BYTES/RUN
        kpis       1          1       0   100.0%  1h 30m  1h 30m         7         70
        orders     5          4       1    80.0%   30.0s  3m 20s       250  2,500,000
        """);

    out.getBuffer().setLength(0);
    assertThat(lakeport("stats", "--job", "orders", "--since", "2026-11-25")).isZero();
    assertThat(out.toString())
        .isEqualTo("No runs recorded for job orders since 2026-11-25T00:00:00Z.\n");
  }

  @Test
  void sinceTakesAPeriodBackFromNowOrADate() {
    assertThat(StatsCommand.since("30d", clock)).isEqualTo(Instant.parse("2026-10-25T02:00:00Z"));
    assertThat(StatsCommand.since("2w", clock)).isEqualTo(Instant.parse("2026-11-10T02:00:00Z"));
    assertThat(StatsCommand.since("90m", clock)).isEqualTo(Instant.parse("2026-11-24T00:30:00Z"));
    assertThat(StatsCommand.since("12h", clock)).isEqualTo(Instant.parse("2026-11-23T14:00:00Z"));
    assertThat(lakeport("stats", "--since", "a month")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "--since: expected a period such as 30d, 12h or 2w, or a date such as"
                + " 2026-11-01, found \"a month\".\n");
  }

  @Test
  void aHistoryThatCannotBeOpenedIsAnExternalFailure() {
    site =
        Fixtures.write(
            dir,
            "broken.conf",
            """
        lakeport.history {
          url = "jdbc:postgresql://127.0.0.1:9/lakeport"
          password-env = LAKEPORT_TEST_UNSET_PASSWORD
        }
        """);

    assertThat(lakeport("history")).isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "error: Cannot open the run history at jdbc:postgresql://127.0.0.1:9/lakeport:"
                + " the environment variable LAKEPORT_TEST_UNSET_PASSWORD (lakeport.history.password-env) is not set."
                + " Export it, or use lakeport.history.password-file\n");
  }

  @Test
  void scheduleEnableAndDisableKeepAnOverrideInTheHistory() {
    assertThat(lakeport("schedule", "disable", "orders-kpis-monthly")).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "job orders-kpis-monthly: disabled (kept in the run history; overrides its job"
                + " file)\n");
    try (HistoryStore store = store()) {
      assertThat(store.schedules().enabledOverride("orders-kpis-monthly")).contains(false);
    }

    assertThat(lakeport("schedule", "enable", "orders-kpis-monthly")).isZero();
    try (HistoryStore store = store()) {
      assertThat(store.schedules().enabledOverride("orders-kpis-monthly")).contains(true);
    }
  }

  @Test
  void scheduleRefusesAJobNoJobFileSchedulesAndSuggestsTheClosest() {
    assertThat(lakeport("schedule", "disable", "orders-kpis-montly")).isEqualTo(2);

    assertThat(err.toString())
        .isEqualTo(
            "Unknown scheduled job \"orders-kpis-montly\". Did you mean"
                + " \"orders-kpis-monthly\"? Known: orders-kpis-monthly, security-anomalies-daily (the scheduled jobs in ./jobs and the"
                + " jobs in the run history).\n");
    try (HistoryStore store = store()) {
      assertThat(store.schedules().enabledOverride("orders-kpis-montly")).isEmpty();
    }
  }

  @Test
  void cancelEndsAQueuedRunAsksTheSchedulerOfARunningOneAndRefusesTheOthers() {
    try (HistoryStore store = store()) {
      store
          .runLog()
          .enqueue(
              RunRequest.scheduled("20261124T020000Z-queued", "orders", clock.instant(), Map.of()));
      store
          .runLog()
          .enqueue(
              RunRequest.scheduled(
                  "20261124T030000Z-running",
                  "orders",
                  clock.instant().plusSeconds(3600),
                  Map.of()));
      store.runLog().start("20261124T030000Z-running", WORKER);
      store.locks().lock("orders", "20261124T030000Z-running", "scheduler@etl-1");
      // a lakeport run process records its run but takes no lock: no scheduler can stop it
      store
          .runLog()
          .enqueue(
              new RunRequest(
                  "20261124T040000Z-byhand", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));
      store.runLog().start("20261124T040000Z-byhand", WORKER);
      succeeded(store, "20261124T050000Z-done", "orders", Duration.ofSeconds(5), 1, 10);
    }

    assertThat(lakeport("cancel", "20261124T020000Z-queued")).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("run 20261124T020000Z-queued of job orders: cancelled\n");
    out.getBuffer().setLength(0);
    assertThat(lakeport("cancel", "20261124T030000Z-running")).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "run 20261124T030000Z-running of job orders: cancel requested; scheduler"
                + " scheduler@etl-1 stops it at its next pass (lakeport status 20261124T030000Z-running shows how it ended)\n");
    try (HistoryStore store = store()) {
      assertThat(store.runLog().cancelRequest("20261124T030000Z-running"))
          .hasValueSatisfying(
              request ->
                  assertThat(request.requestedBy())
                      .isEqualTo(
                          System.getProperty("user.name")
                              + "@"
                              + Worker.current().host()
                              + " (lakeport cancel)"));
      assertThat(store.runLog().run("20261124T030000Z-running").orElseThrow().status())
          .isEqualTo(RunStatus.RUNNING);
      assertThat(store.runLog().run("20261124T020000Z-queued").orElseThrow().status())
          .isEqualTo(RunStatus.CANCELLED);
    }

    assertThat(lakeport("cancel", "20261124T040000Z-byhand")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "Cannot cancel run 20261124T040000Z-byhand: no scheduler runs it; it runs in a"
                + " lakeport run process (pid 4242 on etl-1). Stop that process (Ctrl-C, or kill with its pid).\n");
    err.getBuffer().setLength(0);
    assertThat(lakeport("cancel", "20261124T050000Z-done")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("Cannot cancel run 20261124T050000Z-done: it has ended (succeeded).\n");
    err.getBuffer().setLength(0);
    assertThat(lakeport("cancel", "nope")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("No run nope in the run history. lakeport history lists the runs recorded.\n");
  }

  private HistoryStore store() {
    HistorySettings settings = Site.load(Optional.of(site)).history();
    return HistoryStore.open(settings, clock);
  }

  private void succeeded(
      HistoryStore store, String id, String job, Duration took, long rows, long bytes) {
    store.runLog().enqueue(new RunRequest(id, job, Optional.empty(), Trigger.MANUAL, Map.of()));
    store.runLog().start(id, WORKER);
    clock.advance(took);
    store.runLog().finish(id, RunOutcome.succeeded(rows, bytes, 1, "file:/m-" + id + ".json"));
  }

  private void failed(HistoryStore store, String id, String job, Duration took) {
    store
        .runLog()
        .enqueue(new RunRequest(id, job, Optional.of(clock.instant()), Trigger.SCHEDULE, Map.of()));
    store.runLog().start(id, WORKER);
    clock.advance(took);
    store.runLog().finish(id, RunOutcome.failed(3, "boom"));
  }

  private int lakeport(String... args) {
    return Cli.lakeport(site, out, err, args);
  }
}
