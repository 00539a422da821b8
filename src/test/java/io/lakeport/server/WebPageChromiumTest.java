package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.history.Run;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.run.RunId;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page as a person sees it: loaded by headless Chromium from the API server, its scripts
 * run against the API, the rendered jobs, runs and charts checked in the DOM, and a screenshot
 * saved to {@code target/api-page.png} (the README's picture is a copy of one).
 */
class WebPageChromiumTest {
  static final Path SCREENSHOT = Path.of("target", "api-page.png");

  @TempDir Path dir;

  @Test
  void thePageShowsTheJobsRecentRunsAndChartsFromTheApi() throws Exception {
    Chromium chromium = Chromium.in(dir);
    try (ApiFixture api = ApiFixture.open(dir)) {
      List<Run> runs = history(api);
      String running =
          api.store
              .runLog()
              .enqueue(
                  new RunRequest(
                      RunId.next(api.clock),
                      "kpis",
                      Optional.empty(),
                      Trigger.MANUAL,
                      Map.of("run_date", "2026-11-27")))
              .orElseThrow()
              .id();
      // switched off, the jobs' slots of these four days are not queued; the manual run starts all
      // the same
      api.store.schedules().disable("orders");
      api.store.schedules().disable("kpis");
      api.scheduler.tick();
      api.clock.advance(Duration.ofSeconds(95));
      api.store.schedules().clearOverride("orders");

      String dom = chromium.dom(api.uri("/"));

      assertThat(dom).contains("<body data-state=\"ready\">");
      assertThat(rows(dom, "data-job")).containsExactly("orders", "kpis", "backfill");
      List<String> shownRuns = rows(dom, "data-run");
      List<String> newestFirst = new ArrayList<>(runs.stream().map(Run::id).toList());
      newestFirst.add(running);
      Collections.reverse(newestFirst);
      assertThat(shownRuns).containsExactlyElementsOf(newestFirst);
      assertThat(row(dom, "data-run", running))
          .contains("class=\"status running\"")
          .contains("1m 35s");
      Run failed = runs.stream().filter(r -> r.error().isPresent()).findFirst().orElseThrow();
      assertThat(row(dom, "data-run", failed.id()))
          .contains("class=\"status failed\"")
          .contains("7.0s");
      Run big = runs.get(0);
      assertThat(row(dom, "data-run", big.id()))
          .contains("1,250,000")
          .contains("48.0 MB")
          .contains("href=\"/api/runs/" + big.id() + "/manifest\"");
      // the countdown to 02:30 Berlin on the 29th from the test clock, once the page has counted
      // down
      assertThat(row(dom, "data-job", "orders"))
          .containsPattern("class=\"countdown number\">\\d+h \\d{2}m \\d{2}s<")
          .contains("daily at 02:30 (Europe/Berlin)")
          .contains("class=\"status succeeded\"");
      assertThat(row(dom, "data-job", "orders")).contains("class=\"switch\"");
      // a job without a schedule: no schedule, countdown or switch, but it can be run now
      assertThat(row(dom, "data-job", "backfill"))
          .contains("none (run now only)")
          .doesNotContain("class=\"switch\"")
          .doesNotContainPattern("class=\"countdown number\">\\d")
          .contains(">Run now</button>");
      assertThat(count(dom, "data-chart=\"rows\"")).isEqualTo(3);
      assertThat(count(dom, "data-chart=\"success-rate\"")).isEqualTo(3);
      // orders: four published runs in the rows chart, five ended runs in the duration chart, one
      // of them failed
      assertThat(count(dom, "class=\"bar\"")).isGreaterThanOrEqualTo(4 + 4 + 4);
      assertThat(count(dom, "class=\"bar failed\"")).isEqualTo(1);

      chromium.screenshot(api.uri("/"), SCREENSHOT, 1280, 1060);
      BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
      assertThat(image.getWidth()).isEqualTo(1280);
      assertThat(image.getHeight()).isEqualTo(1060);
      assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000);
    }
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
    Run run =
        api.store
            .runLog()
            .enqueue(
                new RunRequest(
                    RunId.next(api.clock),
                    job,
                    Optional.empty(),
                    Trigger.MANUAL,
                    Map.of("run_date", "2026-11-23")))
            .orElseThrow();
    api.store.runLog().start(run.id(), new Worker("host-1", 4242));
    api.clock.advance(took);
    return api.store
        .runLog()
        .finish(
            run.id(),
            rows.map(
                    r ->
                        RunOutcome.succeeded(
                            r,
                            r * 38 + 500_000,
                            4,
                            "file:/srv/lakeport/exports/"
                                + job
                                + "/_lakeport/manifest-"
                                + run.id()
                                + ".json"))
                .orElseGet(() -> RunOutcome.failed(3, "Cannot write the export: disk full")));
  }

  /** The values of an attribute on the page's table rows, in order. */
  private static List<String> rows(String dom, String attribute) {
    List<String> values = new ArrayList<>();
    Matcher m = Pattern.compile("<tr " + attribute + "=\"([^\"]+)\">").matcher(dom);
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  private static String row(String dom, String attribute, String value) {
    int start = dom.indexOf("<tr " + attribute + "=\"" + value + "\">");
    assertThat(start).as("row %s=%s", attribute, value).isNotNegative();
    return dom.substring(start, dom.indexOf("</tr>", start));
  }

  private static int count(String dom, String text) {
    return dom.split(Pattern.quote(text), -1).length - 1;
  }
}
