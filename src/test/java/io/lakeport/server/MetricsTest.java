package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lakeport.config.EventType;
import io.lakeport.history.Alert;
import io.lakeport.history.Run;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.run.RunId;
import io.lakeport.server.PrometheusParser.Family;
import io.lakeport.server.PrometheusParser.Sample;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} over real HTTP, read by Prometheus' own text parser, against numbers worked out
 * here from the runs the test records in a real H2 history.
 */
class MetricsTest {
  @TempDir Path dir;

  @Test
  void metricsParseAndAddUpToTheRecordedRuns() throws Exception {
    try (ApiFixture api = ApiFixture.open(dir)) {
      // orders: published in 5 s, 90 s and 4,000 s, failed after 7 s; kpis: published in 2 s, one
      // queued
      published(api, "orders", Duration.ofSeconds(5), 10, 100, 1);
      published(api, "orders", Duration.ofSeconds(90), 20, 200, 1);
      failed(api, "orders", Duration.ofSeconds(7));
      Instant ordersLast =
          published(api, "orders", Duration.ofSeconds(4000), 30, 300, 2).finishedAt().orElseThrow();
      Instant kpisLast =
          published(api, "kpis", Duration.ofSeconds(2), 5, 50, 1).finishedAt().orElseThrow();
      Instant queuedAt = api.now();
      api.store
          .runLog()
          .enqueue(
              new RunRequest(
                  RunId.next(api.clock), "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));
      api.store.schedules().disable("kpis");
      Alert late = alert("orders", EventType.EXPORT_LATE, "2026-11-24T01:00:00Z", api.now());
      Alert slow = alert("orders", EventType.RUN_SLOW, "run r1", api.now());
      assertThat(api.store.alerts().open(late)).isTrue();
      assertThat(api.store.alerts().open(slow)).isTrue();
      assertThat(api.store.alerts().clear(slow, "r2")).isTrue();
      api.clock.advance(Duration.ofSeconds(75));
      api.get("/health");
      api.get("/api/runs/nope");

      HttpResponse<String> response = api.get("/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      List<Family> families = PrometheusParser.parse(response.body());
      assertThat(families)
          .extracting(Family::name)
          .contains(
              "lakeport_runs",
              "lakeport_run_duration_seconds",
              "lakeport_exported_rows",
              "lakeport_exported_bytes",
              "lakeport_exported_files",
              "lakeport_last_success_timestamp_seconds",
              "lakeport_retention_freed_bytes",
              "lakeport_scheduler_lag_seconds",
              "lakeport_job_enabled",
              "lakeport_job_next_run_timestamp_seconds",
              "lakeport_api_requests");
      assertThat(type(families, "lakeport_runs")).isEqualTo("gauge");
      assertThat(type(families, "lakeport_run_duration_seconds")).isEqualTo("histogram");
      assertThat(type(families, "lakeport_exported_rows")).isEqualTo("counter");

      assertThat(value(families, "lakeport_runs", "job", "orders", "status", "succeeded"))
          .isEqualTo(3);
      assertThat(value(families, "lakeport_runs", "job", "orders", "status", "failed"))
          .isEqualTo(1);
      assertThat(value(families, "lakeport_runs", "job", "orders", "status", "running")).isZero();
      assertThat(value(families, "lakeport_runs", "job", "kpis", "status", "succeeded"))
          .isEqualTo(1);
      assertThat(value(families, "lakeport_runs", "job", "kpis", "status", "queued")).isEqualTo(1);

      // buckets are cumulative: 5 s <= 5; 7 s <= 15; 90 s <= 120; 4,000 s <= 7,200
      Map<String, Double> buckets =
          samples(families, "lakeport_run_duration_seconds").stream()
              .filter(s -> s.name().endsWith("_bucket") && s.labels().get("job").equals("orders"))
              .collect(Collectors.toMap(s -> s.labels().get("le"), Sample::value));
      assertThat(buckets)
          .containsEntry("1.0", 0.0)
          .containsEntry("5.0", 1.0)
          .containsEntry("15.0", 2.0)
          .containsEntry("60.0", 2.0)
          .containsEntry("120.0", 3.0)
          .containsEntry("3600.0", 3.0)
          .containsEntry("7200.0", 4.0)
          .containsEntry("+Inf", 4.0);
      assertThat(sample(families, "lakeport_run_duration_seconds_count", "job", "orders"))
          .isEqualTo(4);
      assertThat(sample(families, "lakeport_run_duration_seconds_sum", "job", "orders"))
          .isEqualTo(5 + 90 + 7 + 4000);

      assertThat(sample(families, "lakeport_exported_rows_total", "job", "orders"))
          .isEqualTo(10 + 20 + 30);
      assertThat(sample(families, "lakeport_exported_bytes_total", "job", "orders"))
          .isEqualTo(100 + 200 + 300);
      assertThat(sample(families, "lakeport_exported_files_total", "job", "orders")).isEqualTo(4);
      assertThat(sample(families, "lakeport_exported_rows_total", "job", "kpis")).isEqualTo(5);
      assertThat(value(families, "lakeport_last_success_timestamp_seconds", "job", "orders"))
          .isEqualTo(ordersLast.getEpochSecond());
      assertThat(value(families, "lakeport_last_success_timestamp_seconds", "job", "kpis"))
          .isEqualTo(kpisLast.getEpochSecond());
      assertThat(sample(families, "lakeport_retention_freed_bytes_total")).isZero();
      assertThat(sample(families, "lakeport_scheduler_lag_seconds"))
          .isEqualTo(Duration.between(queuedAt, api.now()).toSeconds(), within(0.001));
      assertThat(value(families, "lakeport_job_enabled", "job", "orders")).isEqualTo(1);
      assertThat(value(families, "lakeport_job_enabled", "job", "kpis")).isZero();
      assertThat(type(families, "lakeport_alerts_open")).isEqualTo("gauge");
      assertThat(value(families, "lakeport_alerts_open", "job", "orders", "kind", "export-late"))
          .isEqualTo(1);
      assertThat(value(families, "lakeport_alerts_open", "job", "orders", "kind", "run-slow"))
          .as("cleared")
          .isZero();
      assertThat(value(families, "lakeport_alerts_open", "job", "kpis", "kind", "export-late"))
          .isZero();
      assertThat(
              sample(families, "lakeport_api_requests_total", "endpoint", "/health", "code", "200"))
          .isEqualTo(1);
      assertThat(
              sample(
                  families,
                  "lakeport_api_requests_total",
                  "endpoint",
                  "/api/runs/{id}",
                  "code",
                  "404"))
          .isEqualTo(1);
      // orders: 02:30 Berlin on the 25th, after a clock now past 09:00 UTC on the 24th
      assertThat(value(families, "lakeport_job_next_run_timestamp_seconds", "job", "orders"))
          .isEqualTo(Instant.parse("2026-11-25T01:30:00Z").getEpochSecond());
    }
  }

  @Test
  void theLagIsZeroWithNothingWaitingAndEveryJobHasItsSeries() throws Exception {
    try (ApiFixture api = ApiFixture.open(dir)) {
      List<Family> families = PrometheusParser.parse(api.get("/metrics").body());

      assertThat(sample(families, "lakeport_scheduler_lag_seconds")).isZero();
      assertThat(value(families, "lakeport_runs", "job", "kpis", "status", "failed")).isZero();
      assertThat(sample(families, "lakeport_exported_rows_total", "job", "orders")).isZero();
      assertThat(sample(families, "lakeport_run_duration_seconds_count", "job", "orders")).isZero();
      assertThat(samples(families, "lakeport_last_success_timestamp_seconds")).isEmpty();
    }
  }

  private static Run published(
      ApiFixture api, String job, Duration took, long rows, long bytes, long files) {
    Run run = started(api, job);
    api.clock.advance(took);
    return api.store
        .runLog()
        .finish(
            run.id(), RunOutcome.succeeded(rows, bytes, files, "file:/exports/" + job + "/m.json"));
  }

  private static Run failed(ApiFixture api, String job, Duration took) {
    Run run = started(api, job);
    api.clock.advance(took);
    return api.store.runLog().finish(run.id(), RunOutcome.failed(3, "disk full"));
  }

  private static Run started(ApiFixture api, String job) {
    Run run =
        api.store
            .runLog()
            .enqueue(
                new RunRequest(
                    RunId.next(api.clock), job, Optional.empty(), Trigger.MANUAL, Map.of()))
            .orElseThrow();
    api.store.runLog().start(run.id(), new Worker("host-1", 1));
    return run;
  }

  private static String type(List<Family> families, String name) {
    return families.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().type();
  }

  private static List<Sample> samples(List<Family> families, String family) {
    return families.stream()
        .filter(f -> f.name().equals(family))
        .flatMap(f -> f.samples().stream())
        .toList();
  }

  /** The value of the family's sample of that name with exactly these labels. */
  private static double value(List<Family> families, String family, String... labels) {
    return sampleOf(samples(families, family), family, labels);
  }

  private static double sample(List<Family> families, String name, String... labels) {
    return sampleOf(families.stream().flatMap(f -> f.samples().stream()).toList(), name, labels);
  }

  private static double sampleOf(List<Sample> samples, String name, String... labels) {
    Map<String, String> wanted = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " in " + samples))
        .value();
  }

  private static Alert alert(String job, EventType kind, String window, Instant at) {
    return Alert.open(job, kind, window, Optional.empty(), Optional.empty(), at, kind.text());
  }
}
