package io.lakeport.server;

import static io.lakeport.server.ApiServerTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.Fixtures;
import io.lakeport.config.ApiSettings;
import io.lakeport.history.Run;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.run.RunId;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the page's "Run now" form sends and what its runs table shows, over real HTTP against a real
 * H2 history and scheduler: a backfill range queued as one run per window in order, every mistake
 * in the range refused with the fix before anything is queued, and a run waiting for its retry
 * shown with its last error and its next attempt.
 */
class RunNowBackfillApiTest {
  private static final Optional<String> TOKEN = Optional.of(ApiFixture.TOKEN);

  @TempDir Path dir;

  @Test
  void aRangeQueuesOneBackfillRunPerDayInOrderThatTheSchedulerStarts() throws Exception {
    try (ApiFixture api = ApiFixture.open(dir)) {
      HttpResponse<String> queued =
          api.post(
              "/api/jobs/backfill/runs",
              "{\"params\": {\"region\": \"us\"}, \"from\": \"2026-11-01\", \"to\": \"2026-11-03\"}",
              TOKEN);

      assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
      JsonNode runs = json(queued).path("runs");
      assertThat(runs)
          .extracting(
              run ->
                  run.path("trigger").asText()
                      + " "
                      + run.path("status").asText()
                      + " "
                      + run.path("params").toString())
          .containsExactly(
              "backfill queued {\"region\":\"us\",\"run_date\":\"2026-11-01\"}",
              "backfill queued {\"region\":\"us\",\"run_date\":\"2026-11-02\"}",
              "backfill queued {\"region\":\"us\",\"run_date\":\"2026-11-03\"}");
      Run first = api.store.runLog().run(runs.get(0).path("id").asText()).orElseThrow();
      assertThat(first.trigger()).isEqualTo(Trigger.BACKFILL);
      assertThat(first.params())
          .containsExactly(Map.entry("region", "us"), Map.entry("run_date", "2026-11-01"));

      api.scheduler.tick();

      // one run of a job at a time: the oldest day first
      assertThat(api.held().launches())
          .singleElement()
          .satisfies(
              launch -> {
                assertThat(launch.request().runId()).isEqualTo(first.id());
                assertThat(launch.request().params()).containsEntry("run_date", "2026-11-01");
              });
    }
  }

  @Test
  void aRangeOfAWeeklyJobQueuesOneRunPerWeek() throws Exception {
    Path weekly =
        Fixtures.write(
            dir.resolve("weekly"),
            "job.conf",
            "name = weekly\nwindow = week\nparams { run_date = null }\n"
                + "source { format = parquet, path = /in }\nsink { format = parquet, path = /tmp/out }\n");
    try (ApiFixture api =
        new ApiFixture(
            dir, ApiSettings.Reads.OPEN, true, new HeldLauncher(), Map.of("weekly", weekly))) {
      // Monday 2 November to Sunday 15 November 2026: two weeks
      JsonNode runs =
          json(api.post(
                  "/api/jobs/weekly/runs",
                  "{\"from\": \"2026-11-04\", \"to\": \"2026-11-15\"}",
                  TOKEN))
              .path("runs");

      assertThat(runs)
          .extracting(run -> run.path("params").path("run_date").asText())
          .containsExactly("2026-11-04", "2026-11-09");
    }
  }

  @Test
  void aBadRangeIsRefusedWithTheFixAndQueuesNothing() throws Exception {
    try (ApiFixture api = ApiFixture.open(dir)) {
      String path = "/api/jobs/backfill/runs";
      assertThat(error(api.post(path, "{\"from\": \"2026-11-01\"}", TOKEN)))
          .isEqualTo(
              "A backfill needs both from and to (dates, to on or after from). Send e.g."
                  + " {\"params\": {\"region\": \"eu\"}, \"from\": \"2026-11-01\", \"to\":"
                  + " \"2026-11-07\"}.");
      assertThat(error(api.post(path, "{\"from\": \"2026-11-05\", \"to\": \"2026-11-01\"}", TOKEN)))
          .isEqualTo(
              "to (2026-11-01) is before from (2026-11-05): a backfill runs from the earlier date"
                  + " to the later one.");
      assertThat(error(api.post(path, "{\"from\": \"1 Nov\", \"to\": \"2026-11-01\"}", TOKEN)))
          .isEqualTo(
              "from: expected a date like 2026-11-23, found \"1 Nov\". Send e.g. {\"params\":"
                  + " {\"region\": \"eu\"}, \"from\": \"2026-11-01\", \"to\": \"2026-11-07\"}.");
      assertThat(error(api.post(path, "{\"from\": \"2026-11-01\", \"to\": 20261102}", TOKEN)))
          .startsWith("to: expected a date like 2026-11-23, found 20261102.");
      assertThat(
              error(
                  api.post(
                      path,
                      "{\"params\": {\"run_date\": \"2026-11-01\"}, \"from\": \"2026-11-01\","
                          + " \"to\": \"2026-11-02\"}",
                      TOKEN)))
          .isEqualTo(
              "A backfill sets run_date itself (each day from 2026-11-01 to 2026-11-02); drop"
                  + " params.run_date.");
      assertThat(error(api.post(path, "{\"from\": \"2000-01-01\", \"to\": \"2026-11-02\"}", TOKEN)))
          .isEqualTo("A backfill covers at most 3700 days; split the range.");
      // params are checked as the run checks them, on every day of the range
      assertThat(
              error(
                  api.post(
                      path,
                      "{\"params\": {\"colour\": \"red\"}, \"from\": \"2026-11-01\", \"to\":"
                          + " \"2026-11-02\"}",
                      TOKEN)))
          .isEqualTo(
              "run_date 2026-11-01 of the backfill: params.colour: the job declares no such"
                  + " parameter. Declared parameters: region, run_date. Declare new ones in the"
                  + " job's params block.");
      assertThat(api.store.runLog().queued()).isEmpty();
    }
  }

  @Test
  void aRunWaitingForItsRetryShowsItsLastErrorAndNextAttempt() throws Exception {
    try (ApiFixture api = ApiFixture.open(dir)) {
      Run run =
          api.store
              .runLog()
              .enqueue(
                  new RunRequest(
                      RunId.next(api.clock),
                      "orders",
                      Optional.empty(),
                      Trigger.MANUAL,
                      Map.of("run_date", "2026-11-23")))
              .orElseThrow();
      api.store.runLog().start(run.id(), new Worker("host-1", 4242));
      api.clock.advance(Duration.ofSeconds(40));
      api.store.runLog().finish(run.id(), RunOutcome.failed(3, "Cannot read the source: timeout"));
      Instant due = api.now().plus(Duration.ofMinutes(5));
      api.store.runLog().requeue(run.id(), due);

      JsonNode listed = json(api.get("/api/runs")).path("runs").get(0);
      JsonNode detail = json(api.get("/api/runs/" + run.id()));

      for (JsonNode view : List.of(listed, detail)) {
        assertThat(view.path("status").asText()).isEqualTo("queued");
        assertThat(view.path("error").asText()).isEqualTo("Cannot read the source: timeout");
        assertThat(view.path("next_attempt_at").asText()).isEqualTo(due.toString());
      }
      assertThat(detail.path("progress").path("attempt").asInt()).isEqualTo(2);
    }
  }

  private static String error(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return json(response).path("error").asText();
  }
}
