package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.ApiSettings;
import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobLoader;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Pruned;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.schedule.Scheduler;
import io.lakeport.schedule.SchedulerOptions;
import io.lakeport.server.PrometheusParser.Family;
import io.lakeport.server.PrometheusParser.Sample;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} over a history of 100,000 runs in the default SQLite file: the runs are written
 * with a batch insert into a history of the schema before the counts (as an upgraded site has
 * them), so the counts come from the migration's backfill, then grow as runs end through the store.
 * A warm scrape must answer in under 100 ms (the median of several: a bound on the design, which
 * reads aggregates, not a benchmark), every counter must match the count the test keeps itself,
 * pruning must delete exactly the old ended runs with their attempts and deliveries and leave the
 * counters as they were, and the JVM and process metrics must be there.
 */
class MetricsAtScaleTest {
  private static final int RUNS = 100_000;
  private static final int JOBS = 20;
  private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
  private static final Instant FIRST = NOW.minus(Duration.ofDays(200));
  private static final Duration EVERY = Duration.ofDays(200).dividedBy(RUNS);
  private static final DateTimeFormatter SQLITE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  @TempDir Path dir;
  private final TestClock clock = new TestClock(NOW);
  private final HttpClient client = HttpClient.newHttpClient();

  /** What the test wrote, counted by itself: ended runs by job and outcome, rows of successes. */
  private final Map<List<String>, Long> finished = new TreeMap<>(MetricsAtScaleTest::compare);

  private final Map<String, Long> rows = new TreeMap<>();
  private final Map<String, Long> byStatusNow = new TreeMap<>();

  @Test
  void aScrapeOfAHundredThousandRunsIsFastAndItsCountersAreRightAndOutlivePruning()
      throws Exception {
    HistorySettings settings = sqlite();
    String url = settings.url();
    Files.createDirectories(dir.resolve("history"));
    schemaBeforeTheCounts(url);
    fill(url);

    try (HistoryStore store = HistoryStore.open(settings, clock);
        ApiServer server = server(store)) {
      // two more ends, through the store, on top of the backfilled counts
      end(store, "live-1", "job-3", RunOutcome.succeeded(7, 70, 1, "m"), "succeeded");
      end(store, "live-2", "job-4", RunOutcome.failed(3, "disk full"), "failed");

      List<Long> millis = new ArrayList<>();
      String body = "";
      for (int i = 0; i < 16; i++) {
        long start = System.nanoTime();
        body = scrape(server);
        millis.add((System.nanoTime() - start) / 1_000_000);
      }
      List<Long> warm = new ArrayList<>(millis.subList(5, millis.size()));
      Collections.sort(warm);
      long median = warm.get(warm.size() / 2);
      assertThat(median).as("median of warm scrapes, ms: %s", millis).isLessThan(100);

      List<Family> families = PrometheusParser.parse(body);
      assertCountersMatch(families);
      Map<String, Long> now = new TreeMap<>();
      samples(families, "lakeport_runs").stream()
          .filter(s -> s.value() > 0)
          .forEach(
              s ->
                  now.put(
                      s.labels().get("job") + "/" + s.labels().get("status"), (long) s.value()));
      assertThat(now).isEqualTo(byStatusNow);
      assertThat(families)
          .extracting(Family::name)
          .as("JVM and process metrics")
          .contains(
              "jvm_memory_used_bytes",
              "jvm_threads_current",
              "jvm_gc_collection_seconds",
              "process_cpu_seconds");

      Instant before = NOW.minus(Duration.ofDays(90));
      long old = countRuns(url, "finished_at < '" + SQLITE_TIME.format(before) + "'");
      long unfinished = countRuns(url, "status IN ('queued', 'running')");
      Pruned pruned = store.runLog().prune(before);

      assertThat(pruned.runs()).isEqualTo(old).isGreaterThan(RUNS / 3);
      assertThat(countRuns(url, "1 = 1")).isEqualTo(RUNS + 2 - old);
      assertThat(countRuns(url, "status IN ('queued', 'running')")).isEqualTo(unfinished);
      assertThat(countRuns(url, "finished_at < '" + SQLITE_TIME.format(before) + "'")).isZero();
      assertThat(orphans(url, "attempts")).isZero();
      assertThat(orphans(url, "notifications")).isZero();
      assertThat(pruned.attempts()).isPositive();
      assertThat(pruned.notifications()).isPositive();
      assertCountersMatch(PrometheusParser.parse(scrape(server)));
    }
  }

  private void assertCountersMatch(List<Family> families) {
    Map<List<String>, Long> scraped = new TreeMap<>(MetricsAtScaleTest::compare);
    samples(families, "lakeport_runs_finished")
        .forEach(
            s ->
                scraped.put(
                    List.of(s.labels().get("job"), s.labels().get("outcome")), (long) s.value()));
    assertThat(scraped).isEqualTo(finished);
    Map<String, Long> exportedRows = new TreeMap<>();
    samples(families, "lakeport_exported_rows")
        .forEach(s -> exportedRows.put(s.labels().get("job"), (long) s.value()));
    assertThat(exportedRows).isEqualTo(rows);
    long durations =
        samples(families, "lakeport_run_duration_seconds").stream()
            .filter(s -> s.name().endsWith("_count"))
            .mapToLong(s -> (long) s.value())
            .sum();
    long started =
        finished.entrySet().stream()
            .filter(e -> !e.getKey().get(1).equals("cancelled"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    assertThat(durations).as("every ended run that started").isEqualTo(started);
  }

  /** The history as Lakeport kept it before schema version 6. */
  private static void schemaBeforeTheCounts(String url) {
    Flyway.configure(MetricsAtScaleTest.class.getClassLoader())
        .dataSource(url, "", "")
        .locations("classpath:db/history/common", "classpath:db/history/sqlite")
        .target("4")
        .load()
        .migrate();
  }

  /**
   * Writes {@link #RUNS} runs of {@link #JOBS} jobs, one every 172.8 seconds over 200 days: most
   * published, every tenth failed (with a notification), every tenth skipped, every fiftieth
   * cancelled before it started; the newest five queued or running.
   */
  private void fill(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement run =
              c.prepareStatement(
                  "INSERT INTO runs (run_id, job, run_trigger, params, status, queued_at,"
                      + " started_at, finished_at, rows_written, bytes_written, files_written)"
                      + " VALUES (?, ?, 'schedule', '{}', ?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement attempt =
              c.prepareStatement(
                  "INSERT INTO attempts (run_id, attempt, started_at, finished_at, exit_code,"
                      + " host, pid) VALUES (?, 1, ?, ?, ?, 'host-1', 4242)");
          PreparedStatement notification =
              c.prepareStatement(
                  "INSERT INTO notifications (run_id, channel, target, attempt, status, sent_at)"
                      + " VALUES (?, 'webhook', 'https://hooks.example/x', 1, 'sent', ?)")) {
        for (int i = 0; i < RUNS; i++) {
          String id = "run-" + i;
          String job = "job-" + (i % JOBS);
          String status = status(i);
          Instant queued = FIRST.plus(EVERY.multipliedBy(i));
          Optional<Instant> started =
              status.equals("cancelled") || status.equals("queued")
                  ? Optional.empty()
                  : Optional.of(queued.plusSeconds(1));
          Optional<Instant> ended =
              status.equals("running") || status.equals("queued")
                  ? Optional.empty()
                  : Optional.of(started.orElse(queued).plusSeconds(i % 600));
          long written = status.equals("succeeded") ? i % 1000 : 0;
          run.setString(1, id);
          run.setString(2, job);
          run.setString(3, status);
          run.setString(4, SQLITE_TIME.format(queued));
          run.setString(5, started.map(SQLITE_TIME::format).orElse(null));
          run.setString(6, ended.map(SQLITE_TIME::format).orElse(null));
          run.setLong(7, written);
          run.setLong(8, written * 10);
          run.setLong(9, status.equals("succeeded") ? 1 : 0);
          run.addBatch();
          if (started.isPresent()) {
            attempt.setString(1, id);
            attempt.setString(2, SQLITE_TIME.format(started.get()));
            attempt.setString(3, ended.map(SQLITE_TIME::format).orElse(null));
            attempt.setObject(4, ended.isPresent() ? (status.equals("failed") ? 3 : 0) : null);
            attempt.addBatch();
          }
          if (status.equals("failed")) {
            notification.setString(1, id);
            notification.setString(2, SQLITE_TIME.format(ended.orElseThrow()));
            notification.addBatch();
          }
          tally(job, status, written);
        }
        run.executeBatch();
        attempt.executeBatch();
        notification.executeBatch();
      }
      c.commit();
    }
  }

  private static String status(int i) {
    if (i >= RUNS - 5) {
      return i % 2 == 0 ? "queued" : "running";
    }
    if (i % 50 == 2) {
      return "cancelled";
    }
    return switch (i % 10) {
      case 0 -> "failed";
      case 1 -> "skipped";
      default -> "succeeded";
    };
  }

  private void tally(String job, String status, long written) {
    byStatusNow.merge(job + "/" + status, 1L, Long::sum);
    rows.merge(job, written, Long::sum);
    if (!status.equals("queued") && !status.equals("running")) {
      finished.merge(List.of(job, status), 1L, Long::sum);
    }
  }

  private void end(HistoryStore store, String id, String job, RunOutcome outcome, String status) {
    store
        .runLog()
        .begin(
            new RunRequest(id, job, Optional.empty(), Trigger.MANUAL, Map.of()),
            new Worker("host-1", 4242));
    clock.advance(Duration.ofSeconds(3));
    store.runLog().finish(id, outcome);
    tally(job, status, outcome.rows().orElse(0L));
  }

  private ApiServer server(HistoryStore store) throws Exception {
    Scheduler scheduler =
        new Scheduler(
            List.of(),
            store,
            new HeldLauncher(),
            clock,
            new SchedulerOptions(
                2,
                "scheduler@host-1",
                new Worker("host-1", 4242),
                new SplittableRandom(7),
                Duration.ofMinutes(5),
                Duration.ofHours(6)));
    ApiSettings api =
        new ApiSettings(
            ApiSettings.Status.ENABLED,
            "127.0.0.1",
            0,
            Optional.empty(),
            Optional.empty(),
            ApiSettings.Reads.OPEN);
    return ApiServer.start(
        api, store, List.of(), Map.of(), scheduler, new JobLoader(Fixtures.site()), clock);
  }

  private String scrape(ApiServer server) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(server.uri().resolve("/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static long countRuns(String url, String where) throws SQLException {
    return count(url, "SELECT COUNT(*) FROM runs WHERE " + where);
  }

  /** Rows of {@code table} whose run is gone. */
  private static long orphans(String url, String table) throws SQLException {
    return count(
        url,
        "SELECT COUNT(*) FROM "
            + table
            + " t WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = t.run_id)");
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement statement = c.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<Sample> samples(List<Family> families, String family) {
    return families.stream()
        .filter(f -> f.name().equals(family))
        .flatMap(f -> f.samples().stream())
        .toList();
  }

  private HistorySettings sqlite() {
    return new HistorySettings(
        "jdbc:sqlite:" + dir.resolve("history/lakeport.db").toAbsolutePath(),
        HistorySettings.Database.SQLITE,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofMinutes(5),
        Optional.empty());
  }

  private static int compare(List<String> a, List<String> b) {
    return String.join("/", a).compareTo(String.join("/", b));
  }
}
