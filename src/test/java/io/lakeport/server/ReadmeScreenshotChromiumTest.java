package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.ApiSettings;
import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobLoader;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.run.RunId;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.ScheduledJob;
import io.lakeport.schedule.Scheduler;
import io.lakeport.schedule.SchedulerOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's picture of the page: the example jobs of {@code jobs/} (two scheduled, two run by
 * hand) with two weeks of runs in a real H2 history, served by the API and shot by headless
 * Chromium at 1366 px wide to {@code target/scheduler-page.png}; {@code
 * docs/images/scheduler-page.png} is a copy of one.
 */
class ReadmeScreenshotChromiumTest {
  static final Path SCREENSHOT = Path.of("target", "scheduler-page.png");
  private static final Path JOBS = Path.of("jobs");
  private static final String DAILY = "security-anomalies-daily";
  private static final String MONTHLY = "orders-kpis-monthly";
  private static final String DIRECTORY = "persons-directory";
  private static final String ASSIGNMENTS = "org-assignments-active";

  @TempDir Path dir;

  @Test
  void theReadmePictureShowsTheExampleJobs() throws Exception {
    Chromium chromium = Chromium.in(dir);
    TestClock clock = TestClock.at("2026-11-20T12:00:00Z");
    JobLoader loader = new JobLoader(Fixtures.site());
    List<ScheduledJob> scheduled = List.of(scheduled(loader, MONTHLY), scheduled(loader, DAILY));
    Map<String, Path> byHand = new LinkedHashMap<>();
    byHand.put(DIRECTORY, JOBS.resolve(DIRECTORY + ".conf").toAbsolutePath());
    byHand.put(ASSIGNMENTS, JOBS.resolve(ASSIGNMENTS + ".conf").toAbsolutePath());
    try (HistoryStore store = HistoryStore.open(history(), clock)) {
      Scheduler scheduler =
          new Scheduler(
              scheduled,
              store,
              new HeldLauncher(),
              clock,
              new SchedulerOptions(
                  2,
                  "scheduler@etl-1",
                  new Worker("etl-1", 4242),
                  new SplittableRandom(7),
                  Duration.ofMinutes(5),
                  Duration.ofHours(6)));
      scheduler.startManualRunsOf(byHand);
      twoWeeks(store, clock);
      // a directory export going on now
      enqueue(store, clock, DIRECTORY, Trigger.MANUAL, "2026-12-04");
      scheduler.tick();
      clock.advance(Duration.ofSeconds(48));
      try (ApiServer api =
              ApiServer.start(
                  new ApiSettings(
                      ApiSettings.Status.ENABLED,
                      "127.0.0.1",
                      0,
                      Optional.empty(),
                      Optional.empty(),
                      ApiSettings.Reads.OPEN),
                  store,
                  scheduled,
                  byHand,
                  scheduler,
                  loader,
                  clock);
          Tab tab = chromium.open(api.uri(), 1366, 2000, "Europe/Berlin")) {
        tab.await(
            "document.body.dataset.state === 'ready'"
                + " && /\\d/.test(document.querySelector('.countdown').textContent)",
            Duration.ofSeconds(60),
            "document.body.innerText");

        // the example jobs, scheduled ones first, and no test fixture
        assertThat(
                tab.evaluate(
                        "[...document.querySelectorAll('#jobs tbody tr')].map(r => r.dataset.job)")
                    .toString())
            .isEqualTo(
                "[\"" + String.join("\",\"", MONTHLY, DAILY, DIRECTORY, ASSIGNMENTS) + "\"]");
        // the monthly job's next run is days away: days and hours, not hundreds of hours
        assertThat(
                tab.evaluate(
                        "document.querySelector('tr[data-job=\""
                            + MONTHLY
                            + "\"] .countdown')"
                            + ".textContent")
                    .asText())
            .matches("\\d+d \\d+h");
        assertThat(tab.evaluate("document.documentElement.scrollWidth <= innerWidth").asBoolean())
            .isTrue();

        tab.screenshot(SCREENSHOT);
      }
    }
    BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
    assertThat(image.getWidth()).isEqualTo(1366);
    assertThat(image.getHeight()).isEqualTo(2000);
    assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000);
  }

  private HistorySettings history() {
    return new HistorySettings(
        "jdbc:h2:file:" + dir.resolve("history").toAbsolutePath(),
        HistorySettings.Database.H2,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofMinutes(5),
        Optional.empty());
  }

  private static ScheduledJob scheduled(JobLoader loader, String name) {
    Path file = JOBS.resolve(name + ".conf").toAbsolutePath();
    return new ScheduledJob(
        Schedule.of(loader.load(file, Map.of("run_date", "2026-11-20"), JobLoader.Mode.RUN))
            .orElseThrow(),
        file);
  }

  /**
   * Two weeks to 4 December 2026: the daily job each night (one failure, retried and published),
   * the monthly job on the 1st, the directory every third day and the assignments weekly; the night
   * of the 4th failed and waits for its retry.
   */
  private static void twoWeeks(HistoryStore store, TestClock clock) {
    Instant first = Instant.parse("2026-11-21T01:30:00Z");
    for (int day = 0; day < 14; day++) {
      Instant night = first.plus(Duration.ofDays(day));
      String runDate = night.minus(Duration.ofDays(1)).toString().substring(0, 10);
      advanceTo(clock, night);
      Run run = enqueue(store, clock, DAILY, Trigger.SCHEDULE, runDate);
      store.runLog().start(run.id(), new Worker("etl-1", 4242));
      clock.advance(Duration.ofSeconds(41 + (day * 7) % 23));
      long rows = 14_000 + (day * 3_517L) % 9_000;
      if (day == 9 || day == 13) {
        store
            .runLog()
            .finish(
                run.id(),
                RunOutcome.failed(
                    3,
                    "Cannot read the source: s3a://lake/anomalies/_delta_log: connection timed"
                        + " out"));
        Instant retry = clock.instant().plus(Duration.ofMinutes(day == 13 ? 390 : 10));
        store.runLog().requeue(run.id(), retry);
        if (day == 13) {
          break;
        }
        advanceTo(clock, retry);
        store.runLog().start(run.id(), new Worker("etl-1", 4242));
        clock.advance(Duration.ofSeconds(52));
      }
      publish(store, run, rows, DAILY);
      if (day == 10) {
        advanceTo(clock, Instant.parse("2026-12-01T03:00:00Z"));
        Run monthly = enqueue(store, clock, MONTHLY, Trigger.SCHEDULE, "2026-11-30");
        store.runLog().start(monthly.id(), new Worker("etl-1", 4242));
        clock.advance(Duration.ofSeconds(96));
        publish(store, monthly, 3_720, MONTHLY);
      }
      if (day % 3 == 0) {
        byHand(store, clock, night.plus(Duration.ofHours(5)), DIRECTORY, 1_240 + day * 3L, 9);
      }
      if (day % 7 == 2) {
        byHand(store, clock, night.plus(Duration.ofHours(6)), ASSIGNMENTS, 5_400 + day * 11L, 14);
      }
    }
    advanceTo(clock, Instant.parse("2026-12-04T07:40:00Z"));
  }

  private static void byHand(
      HistoryStore store, TestClock clock, Instant at, String job, long rows, int seconds) {
    advanceTo(clock, at);
    Run run = enqueue(store, clock, job, Trigger.MANUAL, at.toString().substring(0, 10));
    store.runLog().start(run.id(), new Worker("etl-1", 4242));
    clock.advance(Duration.ofSeconds(seconds));
    publish(store, run, rows, job);
  }

  private static void publish(HistoryStore store, Run run, long rows, String job) {
    store
        .runLog()
        .finish(
            run.id(),
            RunOutcome.succeeded(
                rows,
                rows * 61 + 4_096,
                1,
                "file:/srv/lakeport/exports/" + job + "/_lakeport/manifest-" + run.id() + ".json"));
  }

  private static Run enqueue(
      HistoryStore store, TestClock clock, String job, Trigger trigger, String runDate) {
    return store
        .runLog()
        .enqueue(
            new RunRequest(
                RunId.next(clock),
                job,
                trigger == Trigger.SCHEDULE ? Optional.of(clock.instant()) : Optional.empty(),
                trigger,
                Map.of("run_date", runDate)))
        .orElseThrow();
  }

  private static void advanceTo(TestClock clock, Instant time) {
    if (time.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), time));
    }
  }
}
