package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.Fixtures;
import io.lakeport.config.EventType;
import io.lakeport.history.Alert;
import io.lakeport.history.Run;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.run.RunId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page as an operator sees it: loaded by headless Chromium (driven over the DevTools
 * protocol) from the API server on a laptop's 1366x768 screen, its scripts run against the API; the
 * rendered jobs, runs, charts and a run's page checked in the DOM and the layout, and "Run now"
 * filled in and sent as a person would, then found in the run history.
 */
class WebPageChromiumTest {
  static final int WIDTH = 1366;
  static final int HEIGHT = 768;

  /** Not UTC and not the jobs' zones: the page must convert. */
  static final String VIEWER_ZONE = "America/New_York";

  private static final Duration PAGE = Duration.ofSeconds(60);
  private static final String STATE =
      "document.body.dataset.state + ': ' + document.body.innerText";

  @TempDir Path dir;

  @Test
  void thePageFitsALaptopScreenAndShowsJobsRunsAndChartsInTheViewersZone() throws Exception {
    Chromium chromium = Chromium.in(dir);
    try (ApiFixture api = ApiFixture.open(dir)) {
      List<Run> runs = history(api);
      Run retrying = retryWaiting(api);
      String running = enqueue(api, "kpis", Map.of("run_date", "2026-11-27")).id();
      // switched off, the jobs' slots of these four days are not queued; the manual run starts all
      // the same
      api.store.schedules().disable("orders");
      api.store.schedules().disable("kpis");
      // an alert the scheduler raised: shown above the jobs until a good run clears it
      Alert late =
          Alert.open(
              "orders",
              EventType.EXPORT_LATE,
              "2026-11-27T01:30:00Z",
              Optional.of("20261127T013000000Z-0a1b2c3d4e"),
              Optional.of("2026-11-26"),
              api.now(),
              "run_date 2026-11-26 (due 2026-11-27T02:30) was not published by 2026-11-27T07:00"
                  + " Europe/Berlin (late-after = 07:00)");
      assertThat(api.store.alerts().open(late)).isTrue();
      api.scheduler.tick();
      api.clock.advance(Duration.ofSeconds(95));
      api.store.schedules().clearOverride("orders");

      try (Tab tab = chromium.open(api.uri("/"), WIDTH, HEIGHT, VIEWER_ZONE)) {
        tab.await("document.body.dataset.state === 'ready'", PAGE, STATE);
        // the countdown has been drawn by the page's timer
        tab.await(
            "/\\d/.test(document.querySelector('tr[data-job=orders] .countdown').textContent)",
            PAGE,
            STATE);

        // no horizontal scrolling, every column and every "Run now" inside the screen
        JsonNode layout =
            tab.evaluate(
                "({ scroll: document.documentElement.scrollWidth, client:"
                    + " document.documentElement.clientWidth, inner: innerWidth, height: innerHeight,"
                    + " rightmostHeader: Math.max(...[...document.querySelectorAll('th')]"
                    + ".map(th => th.getBoundingClientRect().right)),"
                    + " buttons: [...document.querySelectorAll('button.run-now')].map(b => {"
                    + " const r = b.getBoundingClientRect(); return { left: r.left, right: r.right,"
                    + " top: r.top, bottom: r.bottom, width: r.width }; }) })");
        assertThat(layout.path("inner").asInt()).isEqualTo(WIDTH);
        assertThat(layout.path("scroll").asInt())
            .as("document scroll width at %s px", WIDTH)
            .isLessThanOrEqualTo(layout.path("client").asInt());
        assertThat(layout.path("rightmostHeader").asDouble()).isLessThanOrEqualTo(WIDTH);
        assertThat(layout.path("buttons")).hasSize(3);
        layout
            .path("buttons")
            .forEach(
                button -> {
                  assertThat(button.path("width").asDouble()).isPositive();
                  assertThat(button.path("left").asDouble()).isNotNegative();
                  assertThat(button.path("right").asDouble()).isLessThanOrEqualTo(WIDTH);
                });
        // the first job's button is on the first screen, without scrolling
        assertThat(layout.path("buttons").get(0).path("bottom").asDouble())
            .isLessThanOrEqualTo(HEIGHT);

        String dom = tab.evaluate("document.documentElement.outerHTML").asText();
        assertThat(rows(dom, "data-job")).containsExactly("orders", "kpis", "backfill");
        assertThat(tab.evaluate("document.getElementById('alerts-section').hidden").asBoolean())
            .isFalse();
        assertThat(rows(dom, "data-alert")).containsExactly("export-late");
        assertThat(row(dom, "data-alert", "export-late"))
            .contains(">orders<")
            .contains("class=\"status alert error\"")
            .contains("href=\"#/runs/20261127T013000000Z-0a1b2c3d4e\"")
            .contains(late.detail());
        List<String> newestFirst = new ArrayList<>(runs.stream().map(Run::id).toList());
        newestFirst.add(retrying.id());
        newestFirst.add(running);
        Collections.reverse(newestFirst);
        assertThat(rows(dom, "data-run")).containsExactlyElementsOf(newestFirst);
        assertThat(row(dom, "data-run", running))
            .contains("class=\"status running\"")
            .contains("1m 35s");
        Run failed = runs.stream().filter(r -> r.error().isPresent()).findFirst().orElseThrow();
        assertThat(row(dom, "data-run", failed.id()))
            .contains("class=\"status failed\"")
            .contains("7.0s")
            .contains("Cannot write the export: disk full");
        Run big = runs.get(0);
        assertThat(row(dom, "data-run", big.id()))
            .contains("1,250,000")
            .contains("48.0 MB")
            .contains("href=\"#/runs/" + big.id() + "\"")
            .contains("href=\"/api/runs/" + big.id() + "/manifest\"")
            // started 2026-11-24 08:00 UTC, shown in New York (UTC-5)
            .contains(">2026-11-24 03:00<");
        // waiting for its retry: its error and when the next attempt starts, not just "queued"
        assertThat(row(dom, "data-run", retrying.id()))
            .contains("class=\"status retrying\"")
            .contains("next attempt " + inViewersZone(nextAttempt(api, retrying)))
            .contains("Cannot read the source: connection reset");
        // the next run at 02:30 Berlin on the 29th is 20:30 on the 28th in New York; the countdown
        // from the test clock is in hours and minutes
        assertThat(row(dom, "data-job", "orders"))
            .contains(">2026-11-28 20:30<")
            .contains(">02:30 Europe/Berlin<")
            .containsPattern("class=\"countdown number\">17h \\d+m<")
            .contains("daily at 02:30 (Europe/Berlin)")
            .contains("class=\"status succeeded\"")
            .contains("class=\"switch\"");
        assertThat(dom).contains("times in America/New_York");
        // a job without a schedule: no schedule, countdown or switch, but it can be run now
        assertThat(row(dom, "data-job", "backfill"))
            .contains("none (run now only)")
            .doesNotContain("class=\"switch\"")
            .doesNotContainPattern("class=\"countdown number\">\\d")
            .contains(">Run now</button>");
        // charts per job on a time axis with the days as labels
        assertThat(count(dom, "data-chart=\"rows\"")).isEqualTo(3);
        assertThat(count(dom, "data-chart=\"success-rate\"")).isEqualTo(3);
        assertThat(count(dom, "data-axis=\"time\"")).isEqualTo(12);
        assertThat(chart(dom, "orders", "rows"))
            .contains(">2026-11-24</text>")
            .contains(">2026-11-27</text>");
        // orders: four published runs in the rows chart, five ended runs in the duration chart,
        // one of them failed
        assertThat(count(chart(dom, "orders", "rows"), "class=\"bar\"")).isEqualTo(4);
        assertThat(count(chart(dom, "orders", "duration"), "class=\"bar\"")).isEqualTo(4);
        assertThat(count(dom, "class=\"bar failed\"")).isEqualTo(1);
      }
    }
  }

  @Test
  void aRunsPageShowsItsErrorExportQualityAndRawManifest() throws Exception {
    Chromium chromium = Chromium.in(dir);
    try (ApiFixture api = ApiFixture.open(dir)) {
      Path manifest =
          Fixtures.write(
              dir.resolve("exports/orders/_lakeport"),
              "manifest-1.json",
              """
              {"manifest_version": 1, "job": "orders",
               "totals": {"rows": 1200, "rows_read": 1530},
               "sink": {"format": "parquet", "path": "file:/srv/exports/orders", "mode": "overwrite-partitions"},
               "window": {"run_date": "2026-11-23", "start": "2026-11-23", "end": "2026-11-24"},
               "partitions": [{"values": {"day": "2026-11-23"}, "rows": 1200, "files": 3, "bytes": 34567}],
               "quality": {"rules": [{"rule": "id required", "kind": "row", "action": "quarantine",
                 "checked": 1530, "failed": 330, "outcome": "quarantined"}],
                 "rejected_rows": 330, "rejects_path": "file:/srv/exports/orders/_rejects/r1"}}
              """);
      Run published =
          finish(
              api,
              "orders",
              Duration.ofSeconds(90),
              RunOutcome.succeeded(1200, 34567, 3, "file:" + manifest.toAbsolutePath()));
      Run failed =
          finish(
              api,
              "kpis",
              Duration.ofSeconds(7),
              RunOutcome.failed(3, "Cannot read the source: table kpis_raw is missing"));

      try (Tab tab =
          chromium.open(api.uri("/#/runs/" + published.id()), WIDTH, HEIGHT, VIEWER_ZONE)) {
        tab.await("document.body.dataset.view === 'run'", PAGE, STATE);
        String page = tab.evaluate("document.getElementById('run-view').innerText").asText();
        assertThat(page)
            .contains("Run " + published.id())
            .contains("succeeded")
            .contains("run_date=2026-11-23")
            .contains("1,200")
            .contains("34.6 KB")
            .contains("file:/srv/exports/orders")
            .contains("parquet (overwrite-partitions)")
            .contains("2026-11-23 to 2026-11-24")
            .contains("1,530")
            .contains("id required")
            .contains("quarantined")
            .contains("330 rows set aside in file:/srv/exports/orders/_rejects/r1");
        assertThat(page.replaceAll("\\s+", " ")).contains("Files 3");
        assertThat(tab.evaluate("document.querySelector('#run-detail a').getAttribute('href')"))
            .hasToString("\"/api/runs/" + published.id() + "/manifest\"");
        assertThat(tab.evaluate("document.documentElement.scrollWidth <= innerWidth").asBoolean())
            .isTrue();
        tab.screenshot(Path.of("target", "run-page.png"));

        tab.navigate(api.uri("/#/runs/" + failed.id()));
        tab.await(
            "document.getElementById('run-id').textContent === '" + failed.id() + "'", PAGE, STATE);
        assertThat(tab.evaluate("document.querySelector('#run-detail pre.error-text').textContent"))
            .hasToString("\"Cannot read the source: table kpis_raw is missing\"");
        assertThat(tab.evaluate("document.getElementById('run-view').innerText").asText())
            .contains("No manifest: the run published nothing.");
      }
    }
  }

  /**
   * The log tail while the API has no log endpoint, or for a run without a log file: the page says
   * so. (The endpoint, {@code GET /api/runs/{id}/log?tail=N}, answers 404 for such runs.)
   */
  @Test
  void aRunWithoutALogSaysSo() throws Exception {
    Chromium chromium = Chromium.in(dir);
    try (ApiFixture api = ApiFixture.open(dir)) {
      Run run = finish(api, "orders", Duration.ofSeconds(5), RunOutcome.failed(3, "boom"));
      try (Tab tab = chromium.open(api.uri("/#/runs/" + run.id()), WIDTH, HEIGHT, VIEWER_ZONE)) {
        tab.await(
            "document.getElementById('log-note').textContent !== ''",
            PAGE,
            "document.body.innerText");
        assertThat(tab.evaluate("document.getElementById('log-note').textContent"))
            .hasToString("\"no log for this run\"");
        assertThat(tab.evaluate("document.getElementById('log').hidden").asBoolean()).isTrue();
      }
    }
  }

  /**
   * The log tail of a run that has a log file. Enable it once {@code GET /api/runs/{id}/log?tail=N}
   * serves {@code <logs>/<job>/<run id>.log} (issue 19's logs part): point the fixture's site
   * setting for logs at {@code dir/logs} and record the file in the history as that part does.
   */
  @Test
  void aRunsPageShowsTheTailOfItsLog() throws Exception {
    Chromium chromium = Chromium.in(dir);
    try (ApiFixture api = ApiFixture.open(dir)) {
      Run run = finish(api, "orders", Duration.ofSeconds(5), RunOutcome.failed(3, "boom"));
      StringBuilder log = new StringBuilder();
      for (int line = 1; line <= 500; line++) {
        log.append("2026-11-24 08:00:0").append(line % 10).append(" INFO line ").append(line);
        log.append('\n');
      }
      Path file = dir.resolve("logs/orders/" + run.id() + ".log");
      Files.createDirectories(file.getParent());
      Files.writeString(file, log);
      // the history names the run's log file, as every run records it when it starts
      api.store.runLog().logFile(run.id(), file.toString());
      try (Tab tab = chromium.open(api.uri("/#/runs/" + run.id()), WIDTH, HEIGHT, VIEWER_ZONE)) {
        tab.await("document.getElementById('log').textContent !== ''", PAGE, STATE);
        String tail = tab.evaluate("document.getElementById('log').textContent").asText();
        assertThat(tail).startsWith("2026-11-24 08:00:01 INFO line 301\n").endsWith("line 500\n");
        assertThat(tab.evaluate("document.getElementById('log-note').textContent").asText())
            .startsWith("last 200 lines");
      }
    }
  }

  @Test
  void runNowWithParamsAndADateOrARangeReachesTheHistory() throws Exception {
    Chromium chromium = Chromium.in(dir);
    try (ApiFixture api = ApiFixture.open(dir)) {
      try (Tab tab = chromium.open(api.uri("/"), WIDTH, HEIGHT, VIEWER_ZONE)) {
        tab.await("document.body.dataset.state === 'ready'", PAGE, STATE);
        tab.evaluate("localStorage.setItem('lakeport-token', '" + ApiFixture.TOKEN + "')");

        // a param the job does not declare: the API's message, in the form, nothing queued
        runNow(tab, "backfill", "colour", "red", "date", "2026-11-20");
        tab.await("!document.getElementById('run-now-error').hidden", PAGE, STATE);
        tab.screenshot(Path.of("target", "run-now-form.png"));
        assertThat(tab.evaluate("document.getElementById('run-now-error').textContent").asText())
            .isEqualTo(
                "params.colour: the job declares no such parameter. Declared parameters: region,"
                    + " run_date. Declare new ones in the job's params block.");
        assertThat(api.store.runLog().queued()).isEmpty();
        tab.evaluate("document.getElementById('run-now').close()");

        runNow(tab, "backfill", "region", "us", "date", "2026-11-20");
        tab.await("document.getElementById('message').className === 'info'", PAGE, STATE);
        Run queued = api.store.runLog().queued().get(0).run();
        assertThat(queued.job()).isEqualTo("backfill");
        assertThat(queued.trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(queued.params())
            .containsExactly(Map.entry("region", "us"), Map.entry("run_date", "2026-11-20"));
        assertThat(tab.evaluate("document.getElementById('message').textContent").asText())
            .isEqualTo(
                "Queued run "
                    + queued.id()
                    + " of backfill: the scheduler starts it at its next pass.");
        // the table shows it once the page has reloaded; its page can cancel it
        tab.await(
            "document.querySelector('tr[data-run=\"" + queued.id() + "\"]') !== null", PAGE, STATE);
        tab.evaluate("document.querySelector('tr[data-run=\"" + queued.id() + "\"] a').click()");
        tab.await("document.querySelector('button.cancel-run') !== null", PAGE, STATE);
        tab.evaluate("document.querySelector('button.cancel-run').click()");
        tab.await(
            "document.getElementById('message').textContent === 'Cancelled run "
                + queued.id()
                + ".'",
            PAGE,
            STATE);
        assertThat(api.store.runLog().run(queued.id()).orElseThrow().status())
            .isEqualTo(RunStatus.CANCELLED);
        tab.navigate(api.uri("/#/"));
        tab.await("document.body.dataset.view === 'overview'", PAGE, STATE);

        runNow(tab, "orders", "region", "apac", "range", "2026-11-01/2026-11-03");
        tab.await(
            "document.getElementById('message').textContent.startsWith('Queued 3 backfill')",
            PAGE,
            STATE);
        List<Run> backfill =
            api.store.runLog().queued().stream()
                .map(q -> q.run())
                .filter(r -> r.job().equals("orders"))
                .toList();
        assertThat(backfill)
            .extracting(r -> r.trigger() + " " + r.params())
            .containsExactly(
                "BACKFILL {region=apac, run_date=2026-11-01}",
                "BACKFILL {region=apac, run_date=2026-11-02}",
                "BACKFILL {region=apac, run_date=2026-11-03}");
      }
    }
  }

  /**
   * Opens the job's "Run now" form, fills one param row and a date ({@code date}) or a range
   * ({@code range}, {@code from/to}), and sends it.
   */
  private static void runNow(
      Tab tab, String job, String name, String value, String when, String dates)
      throws InterruptedException {
    String[] range = dates.split("/");
    tab.evaluate(
        String.join(
            "\n",
            "(() => {",
            "document.querySelector('tr[data-job=\"" + job + "\"] button.run-now').click();",
            "const row = document.querySelector('#param-rows .param-row');",
            "row.querySelector('.param-name').value = '" + name + "';",
            "row.querySelector('.param-value').value = '" + value + "';",
            "document.querySelector('input[name=when][value=" + when + "]').checked = true;",
            when.equals("date")
                ? "document.getElementById('run-date').value = '" + dates + "';"
                : "document.getElementById('from').value = '"
                    + range[0]
                    + "'; document.getElementById('to').value = '"
                    + range[1]
                    + "';",
            "document.getElementById('run-now-submit').click();",
            "return true;",
            "})()"));
  }

  /** Four days of runs: orders publishes daily (failing once), kpis twice. */
  private static List<Run> history(ApiFixture api) {
    List<Run> runs = new ArrayList<>();
    long[] rows = {1_250_000, 980_000, 1_120_000, 1_310_000};
    for (int day = 0; day < 4; day++) {
      runs.add(run(api, "orders", Duration.ofSeconds(80 + 25L * day), Optional.of(rows[day])));
      if (day == 2) {
        runs.add(run(api, "orders", Duration.ofSeconds(7), Optional.empty()));
      }
      if (day % 2 == 1) {
        runs.add(run(api, "kpis", Duration.ofSeconds(12), Optional.of(4_200L * day)));
      }
      api.clock.advance(Duration.ofDays(1));
    }
    return runs;
  }

  private static Run run(ApiFixture api, String job, Duration took, Optional<Long> rows) {
    return finish(
        api,
        job,
        took,
        rows.map(
                r ->
                    RunOutcome.succeeded(
                        r,
                        r * 38 + 500_000,
                        4,
                        "file:/srv/lakeport/exports/" + job + "/_lakeport/manifest.json"))
            .orElseGet(() -> RunOutcome.failed(3, "Cannot write the export: disk full")));
  }

  private static Run finish(ApiFixture api, String job, Duration took, RunOutcome outcome) {
    Run run = enqueue(api, job, Map.of("run_date", "2026-11-23"));
    api.store.runLog().start(run.id(), new Worker("host-1", 4242));
    api.clock.advance(took);
    return api.store.runLog().finish(run.id(), outcome);
  }

  /** A run of kpis that failed and waits five minutes for its second attempt. */
  private static Run retryWaiting(ApiFixture api) {
    Run run =
        finish(
            api,
            "kpis",
            Duration.ofSeconds(3),
            RunOutcome.failed(3, "Cannot read the source: connection reset"));
    Instant due = api.now().plus(Duration.ofMinutes(5));
    return api.store.runLog().requeue(run.id(), due);
  }

  private static Instant nextAttempt(ApiFixture api, Run run) {
    return api.store.runLog().queued().stream()
        .filter(q -> q.run().id().equals(run.id()))
        .findFirst()
        .flatMap(q -> q.notBefore())
        .orElseThrow();
  }

  private static String inViewersZone(Instant time) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
        .withZone(ZoneId.of(VIEWER_ZONE))
        .format(time);
  }

  private static Run enqueue(ApiFixture api, String job, Map<String, String> params) {
    return api.store
        .runLog()
        .enqueue(
            new RunRequest(RunId.next(api.clock), job, Optional.empty(), Trigger.MANUAL, params))
        .orElseThrow();
  }

  /** The values of an attribute on the page's table rows, in order. */
  static List<String> rows(String dom, String attribute) {
    List<String> values = new ArrayList<>();
    Matcher m = Pattern.compile("<tr " + attribute + "=\"([^\"]+)\">").matcher(dom);
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  static String row(String dom, String attribute, String value) {
    int start = dom.indexOf("<tr " + attribute + "=\"" + value + "\">");
    assertThat(start).as("row %s=%s", attribute, value).isNotNegative();
    return dom.substring(start, dom.indexOf("</tr>", start));
  }

  private static String chart(String dom, String job, String kind) {
    int box = dom.indexOf("<div class=\"job-charts\" data-job=\"" + job + "\">");
    assertThat(box).as("charts of %s", job).isNotNegative();
    int start = dom.indexOf("data-chart=\"" + kind + "\"", box);
    return dom.substring(start, dom.indexOf("</svg>", start));
  }

  static int count(String dom, String text) {
    return dom.split(Pattern.quote(text), -1).length - 1;
  }
}
