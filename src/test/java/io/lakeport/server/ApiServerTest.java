package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.Fixtures;
import io.lakeport.history.Notification;
import io.lakeport.history.Run;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.run.RunId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status API over real HTTP (the JDK's client against the server on 127.0.0.1) with a real H2
 * history and a real scheduler on a test clock: every endpoint, the token on mutating calls, bad
 * input, and that no answer ever carries the token.
 */
class ApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Optional<String> TOKEN = Optional.of(ApiFixture.TOKEN);

  @TempDir Path dir;
  private ApiFixture api;

  @BeforeEach
  void start() throws IOException {
    api = ApiFixture.open(dir);
  }

  @AfterEach
  void noAnswerCarriesTheToken() {
    api.close();
    assertThat(api.answers)
        .isNotEmpty()
        .allSatisfy(answer -> assertThat(answer).doesNotContain(ApiFixture.TOKEN));
  }

  @Test
  void jobsShowTheirScheduleInWordsNextRunsCountdownSwitchAndLastRun() {
    Run published = publishedRun("orders", 1200, 34567, 3, Duration.ofSeconds(90));

    HttpResponse<String> response = api.get("/api/jobs");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("application/json; charset=utf-8");
    JsonNode jobs = json(response).path("jobs");
    assertThat(jobs)
        .extracting(job -> job.path("name").asText())
        .containsExactly("orders", "kpis", "backfill");
    JsonNode orders = jobs.get(0);
    assertThat(orders.path("schedule").asText()).isEqualTo("daily at 02:30");
    assertThat(orders.path("time_zone").asText()).isEqualTo("Europe/Berlin");
    assertThat(orders.path("enabled").asBoolean()).isTrue();
    assertThat(orders.path("enabled_by").asText()).isEqualTo("job file");
    // 02:30 in Berlin (UTC+1 in November) is 01:30 UTC; each slot exports the day before
    assertThat(orders.path("next_runs"))
        .extracting(slot -> slot.path("at").asText() + " " + slot.path("run_date").asText())
        .containsExactly(
            "2026-11-25T01:30:00Z 2026-11-24",
            "2026-11-26T01:30:00Z 2026-11-25",
            "2026-11-27T01:30:00Z 2026-11-26");
    assertThat(orders.path("next_runs").get(0).path("local").asText())
        .isEqualTo("2026-11-25T02:30+01:00");
    // now is 08:01:30 UTC on the 24th
    assertThat(orders.path("seconds_until_next").asDouble()).isEqualTo(17 * 3600 + 28 * 60 + 30);
    assertThat(jobs.get(1).path("seconds_until_next").asDouble()).isEqualTo(13 * 60 + 30);
    assertThat(orders.path("last_run").path("id").asText()).isEqualTo(published.id());
    assertThat(orders.path("last_run").path("status").asText()).isEqualTo("succeeded");
    assertThat(orders.path("last_run").path("duration_seconds").asDouble()).isEqualTo(90.0);
    assertThat(orders.path("last_run").path("rows").asLong()).isEqualTo(1200);
    assertThat(jobs.get(1).path("last_run").isNull()).isTrue();
    // a job without a schedule runs only when queued: nothing to switch or count down to
    JsonNode backfill = jobs.get(2);
    assertThat(backfill.path("file").asText())
        .isEqualTo(api.unscheduled.get("backfill").toString());
    for (String none :
        List.of("schedule", "time_zone", "enabled", "enabled_by", "seconds_until_next")) {
      assertThat(backfill.path(none).isNull()).as(none).isTrue();
    }
    assertThat(backfill.path("next_runs")).isEmpty();
    assertThat(backfill.path("last_run").isNull()).isTrue();
    assertThat(backfill.path("queued_runs").asLong()).isZero();

    JsonNode one = json(api.get("/api/jobs/kpis"));
    assertThat(one.path("schedule").asText()).isEqualTo("hourly at minute 15");
    HttpResponse<String> unknown = api.get("/api/jobs/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("error").asText())
        .isEqualTo("No job named \"nope\". The scheduler's jobs: orders, kpis, backfill.");
    assertThat(error(api.get("/api/jobs/backfil")))
        .isEqualTo(
            "No job named \"backfil\". Did you mean \"backfill\"?"
                + " The scheduler's jobs: orders, kpis, backfill.");
  }

  @Test
  void enablingAndDisablingNeedsTheTokenAndOverridesTheJobFile() {
    String path = "/api/jobs/orders/enabled";
    HttpResponse<String> anonymous = api.put(path, "{\"enabled\": false}", Optional.empty());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"lakeport\"");
    assertThat(json(anonymous).path("error").asText())
        .isEqualTo(
            "This call needs the API's bearer token: send the header \"Authorization: Bearer <token>\".");
    HttpResponse<String> wrong =
        api.put(path, "{\"enabled\": false}", Optional.of(ApiFixture.TOKEN.replace('s', 'S')));
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(json(wrong).path("error").asText())
        .isEqualTo(
            "The bearer token is not the API's token (lakeport.api.token-env or token-file).");
    assertThat(api.store.schedules().enabledOverride("orders")).isEmpty();

    JsonNode disabled = json(api.put(path, "{\"enabled\": false}", TOKEN));
    assertThat(disabled.path("enabled").asBoolean()).isFalse();
    assertThat(disabled.path("enabled_by").asText()).isEqualTo("override");
    assertThat(disabled.path("next_runs")).isEmpty();
    assertThat(api.store.schedules().enabledOverride("orders")).contains(false);

    assertThat(json(api.put(path, "{\"enabled\": true}", TOKEN)).path("enabled").asBoolean())
        .isTrue();
    assertThat(api.store.schedules().enabledOverride("orders")).contains(true);
    assertThat(json(api.put(path, "{\"enabled\": null}", TOKEN)).path("enabled_by").asText())
        .isEqualTo("job file");
    assertThat(api.store.schedules().enabledOverride("orders")).isEmpty();

    HttpResponse<String> bad = api.put(path, "{\"enabled\": \"yes\"}", TOKEN);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("error").asText())
        .isEqualTo(
            "Expected {\"enabled\": true}, {\"enabled\": false}, or"
                + " {\"enabled\": null} to let the job file decide again. Send e.g. {\"enabled\": false}.");
    assertThat(api.put("/api/jobs/nope/enabled", "{\"enabled\": true}", TOKEN).statusCode())
        .isEqualTo(404);
    HttpResponse<String> unscheduled =
        api.put("/api/jobs/backfill/enabled", "{\"enabled\": false}", TOKEN);
    assertThat(unscheduled.statusCode()).isEqualTo(409);
    assertThat(json(unscheduled).path("error").asText())
        .isEqualTo(
            "Cannot switch job backfill on or off: it has no schedule, and runs only when queued"
                + " (POST /api/jobs/backfill/runs). Add a schedule block to its job file to schedule"
                + " it.");
    assertThat(api.store.schedules().enabledOverride("backfill")).isEmpty();
    HttpResponse<String> get = api.get(path);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(json(get).path("error").asText())
        .isEqualTo("GET is not allowed on /api/jobs/orders/enabled. Use PUT.");
  }

  @Test
  void runNowQueuesAManualRunWithCheckedParamsThatTheSchedulerStarts() {
    api.clock.advance(Duration.ofSeconds(90));
    HttpResponse<String> queued =
        api.post(
            "/api/jobs/orders/runs",
            "{\"params\": {\"run_date\": \"2026-11-20\", \"region\": \"us\"}}",
            TOKEN);

    assertThat(queued.statusCode()).isEqualTo(202);
    JsonNode run = json(queued);
    assertThat(queued.headers().firstValue("Location"))
        .contains("/api/runs/" + run.path("id").asText());
    assertThat(run.path("status").asText()).isEqualTo("queued");
    assertThat(run.path("trigger").asText()).isEqualTo("manual");
    Run stored = api.store.runLog().run(run.path("id").asText()).orElseThrow();
    assertThat(stored.params())
        .containsExactly(Map.entry("run_date", "2026-11-20"), Map.entry("region", "us"));
    assertThat(stored.trigger()).isEqualTo(Trigger.MANUAL);

    api.scheduler.tick();
    assertThat(api.held().launches())
        .singleElement()
        .satisfies(
            launch -> {
              assertThat(launch.request().runId()).isEqualTo(stored.id());
              assertThat(launch.request().params())
                  .containsEntry("run_date", "2026-11-20")
                  .containsEntry("region", "us");
            });

    // without run_date: the latest slot's (02:30 Berlin on the 24th exports the 23rd)
    JsonNode latest = json(api.post("/api/jobs/kpis/runs", "", TOKEN));
    assertThat(latest.path("params").path("run_date").asText()).isEqualTo("2026-11-23");
  }

  @Test
  void runNowOfAJobWithoutAScheduleQueuesAManualRunThatTheSchedulerStarts() {
    String path = "/api/jobs/backfill/runs";
    HttpResponse<String> queued =
        api.post(path, "{\"params\": {\"run_date\": \"2026-11-02\", \"region\": \"us\"}}", TOKEN);

    assertThat(queued.statusCode()).isEqualTo(202);
    JsonNode run = json(queued);
    String runId = run.path("id").asText();
    assertThat(queued.headers().firstValue("Location")).contains("/api/runs/" + runId);
    assertThat(run.path("job").asText()).isEqualTo("backfill");
    assertThat(run.path("status").asText()).isEqualTo("queued");
    assertThat(run.path("trigger").asText()).isEqualTo("manual");
    Run stored = api.store.runLog().run(runId).orElseThrow();
    assertThat(stored.slot()).isEmpty();
    assertThat(stored.params())
        .containsExactly(Map.entry("run_date", "2026-11-02"), Map.entry("region", "us"));
    assertThat(json(api.get("/api/jobs/backfill")).path("queued_runs").asLong()).isEqualTo(1);

    api.scheduler.tick();

    assertThat(api.held().launches())
        .singleElement()
        .satisfies(
            launch -> {
              assertThat(launch.request().runId()).isEqualTo(runId);
              assertThat(launch.request().jobFile()).isEqualTo(api.unscheduled.get("backfill"));
              assertThat(launch.request().params())
                  .containsEntry("run_date", "2026-11-02")
                  .containsEntry("region", "us");
            });
    assertThat(api.store.runLog().run(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    api.held().launches().get(0).publish(42, 4200, 1, "file:/out/_lakeport/manifest.json");
    api.scheduler.tick();
    JsonNode ended = json(api.get("/api/runs/" + runId));
    assertThat(ended.path("status").asText()).isEqualTo("succeeded");
    assertThat(ended.path("rows").asLong()).isEqualTo(42);
    assertThat(json(api.get("/api/jobs/backfill")).path("last_run").path("id").asText())
        .isEqualTo(runId);

    // no slot to take a run date from: the job's required run_date must be given
    HttpResponse<String> noDate = api.post(path, "", TOKEN);
    assertThat(noDate.statusCode()).isEqualTo(400);
    assertThat(json(noDate).path("error").asText())
        .isEqualTo(
            Fixtures.displayed(api.unscheduled.get("backfill"))
                + ":4: params.run_date: required parameter has no value. Send {\"params\":"
                + " {\"run_date\": \"<a date like 2026-11-23>\"}}.");
    assertThat(
            error(
                api.post(
                    path,
                    "{\"params\": {\"run_date\": \"2026-11-02\", \"colour\": \"red\"}}",
                    TOKEN)))
        .isEqualTo(
            "params.colour: the job declares no such parameter."
                + " Declared parameters: region, run_date. Declare new ones in the job's params block.");
    HttpResponse<String> unknown = api.post("/api/jobs/backfills/runs", "", TOKEN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("error").asText())
        .isEqualTo(
            "No job named \"backfills\". Did you mean \"backfill\"?"
                + " The scheduler's jobs: orders, kpis, backfill.");
    assertThat(api.store.runLog().queued()).isEmpty();
  }

  @Test
  void runNowRefusesBadParamsAndBodiesWithClearMessages() {
    String path = "/api/jobs/orders/runs";
    HttpResponse<String> unknown = api.post(path, "{\"params\": {\"colour\": \"red\"}}", TOKEN);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).path("error").asText())
        .isEqualTo(
            "params.colour: the job declares no such parameter."
                + " Declared parameters: region, run_date. Declare new ones in the job's params block.");
    HttpResponse<String> badDate =
        api.post(path, "{\"params\": {\"run_date\": \"yesterday\"}}", TOKEN);
    assertThat(badDate.statusCode()).isEqualTo(400);
    assertThat(json(badDate).path("error").asText()).contains("run_date").contains("yesterday");
    assertThat(error(api.post(path, "{\"params\": {\"api_token\": \"x\"}}", TOKEN)))
        .isEqualTo(
            "Run-now keeps params in"
                + " the run history, so api_token cannot be one; give secrets to the job through the environment or a file.");
    assertThat(error(api.post(path, "{params", TOKEN)))
        .startsWith("The request body is not JSON (")
        .endsWith("). Send e.g. {\"params\": {\"run_date\": \"2026-11-23\"}}.");
    assertThat(error(api.post(path, "{\"param\": {}}", TOKEN)))
        .isEqualTo(
            "Unknown field \"param\". Expected: params, from, to. Send e.g. {\"params\":"
                + " {\"run_date\": \"2026-11-23\"}}, or {\"params\": {\"region\": \"eu\"}, \"from\":"
                + " \"2026-11-01\", \"to\": \"2026-11-07\"} for a backfill.");
    assertThat(error(api.post(path, "{\"params\": {\"region\": [1]}}", TOKEN)))
        .isEqualTo(
            "params.region: expected a"
                + " string, number or boolean. Send e.g. {\"params\": {\"run_date\": \"2026-11-23\"}}.");
    HttpResponse<String> huge =
        api.post(path, "{\"params\": {\"region\": \"" + "x".repeat(70_000) + "\"}}", TOKEN);
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(api.post(path, "{}", Optional.empty()).statusCode()).isEqualTo(401);
    assertThat(api.store.runLog().queued()).isEmpty();
  }

  @Test
  void runsAreListedNewestFirstAndFilteredByJobStatusAndLimit() {
    Run first = publishedRun("orders", 10, 100, 1, Duration.ofSeconds(5));
    Run failed = failedRun("kpis", Duration.ofSeconds(7));
    Run third = publishedRun("orders", 30, 300, 1, Duration.ofSeconds(9));

    assertThat(ids(api.get("/api/runs"))).containsExactly(third.id(), failed.id(), first.id());
    assertThat(ids(api.get("/api/runs?job=orders"))).containsExactly(third.id(), first.id());
    assertThat(ids(api.get("/api/runs?status=failed"))).containsExactly(failed.id());
    assertThat(ids(api.get("/api/runs?job=orders&limit=1"))).containsExactly(third.id());
    JsonNode listed = json(api.get("/api/runs?status=failed")).path("runs").get(0);
    assertThat(listed.path("error").asText())
        .isEqualTo("Cannot write the export: disk full; token=***");
    assertThat(listed.path("duration_seconds").asDouble()).isEqualTo(7.0);

    assertThat(error(api.get("/api/runs?status=done")))
        .isEqualTo(
            "status: unknown value \"done\". Expected one of:"
                + " queued, running, succeeded, failed, skipped, cancelled, interrupted, lost.");
    assertThat(error(api.get("/api/runs?limit=0")))
        .isEqualTo("limit: expected a whole number from 1 to 1000, found \"0\".");
    assertThat(error(api.get("/api/runs?limit=ten")))
        .isEqualTo("limit: expected a whole number from 1 to 1000, found \"ten\".");
    assertThat(error(api.get("/api/runs?colour=red")))
        .isEqualTo("Unknown query parameter \"colour\". Expected: job, status, limit.");
    assertThat(error(api.get("/api/runs?job=a&job=b")))
        .isEqualTo("Query parameter \"job\" is given twice. Give it once.");
  }

  @Test
  void aRunShowsAttemptsNotificationsQualityAndItsManifest() throws IOException {
    Path manifest =
        Fixtures.write(
            dir.resolve("export/_lakeport"),
            "manifest-x.json",
            """
        {"manifest_version": 1, "job": "orders", "totals": {"rows": 1200, "rows_read": 1500},
         "sink": {"format": "parquet", "path": "file:/srv/exports/orders", "mode": "overwrite-partitions"},
         "window": {"run_date": "2026-11-23", "start": "2026-11-23", "end": "2026-11-24"},
         "partitions": [{"values": {"day": "2026-11-23"}, "rows": 1200, "files": 3, "bytes": 34567}],
         "quality": {"rules": [{"rule": "id required", "kind": "required", "action": "fail", "checked": 1200,
                                "failed": 0, "outcome": "passed"}], "rejected_rows": 0, "rejects_path": null}}
        """);
    Run run =
        publishedRun(
            "orders", 1200, 34567, 3, Duration.ofSeconds(90), "file:" + manifest.toAbsolutePath());
    api.store
        .deliveries()
        .recordNotification(
            new Notification(
                run.id(),
                "webhook",
                "https://hooks.internal/lakeport?token=abc123",
                1,
                Notification.Delivery.SENT,
                Optional.empty(),
                api.now()));
    Run failed = failedRun("kpis", Duration.ofSeconds(7));

    JsonNode view = json(api.get("/api/runs/" + run.id()));

    assertThat(view.path("status").asText()).isEqualTo("succeeded");
    assertThat(view.path("rows").asLong()).isEqualTo(1200);
    assertThat(view.path("bytes").asLong()).isEqualTo(34567);
    assertThat(view.path("files").asLong()).isEqualTo(3);
    assertThat(view.path("params").path("run_date").asText()).isEqualTo("2026-11-23");
    assertThat(view.path("manifest").asText()).isEqualTo("file:" + manifest.toAbsolutePath());
    assertThat(view.path("manifest_url").asText()).isEqualTo("/api/runs/" + run.id() + "/manifest");
    assertThat(view.path("progress").isNull()).isTrue();
    assertThat(view.path("attempts"))
        .singleElement()
        .satisfies(
            attempt -> {
              assertThat(attempt.path("number").asInt()).isEqualTo(1);
              assertThat(attempt.path("exit_code").asInt()).isZero();
              assertThat(attempt.path("host").asText()).isEqualTo("host-1");
              assertThat(attempt.path("pid").asLong()).isEqualTo(4242);
            });
    assertThat(view.path("notifications"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.path("channel").asText()).isEqualTo("webhook");
              assertThat(n.path("target").asText())
                  .isEqualTo("https://hooks.internal/lakeport?token=***");
              assertThat(n.path("delivery").asText()).isEqualTo("sent");
            });
    JsonNode written = JSON.readTree(manifest.toFile());
    assertThat(view.path("quality")).isEqualTo(written.path("quality"));
    // what the page's run view shows of the export, besides rows, bytes and files
    assertThat(view.path("export").toString())
        .isEqualTo(
            "{\"path\":\"file:/srv/exports/orders\",\"format\":\"parquet\","
                + "\"mode\":\"overwrite-partitions\",\"partitions\":1,"
                + "\"window_start\":\"2026-11-23\",\"window_end\":\"2026-11-24\",\"rows_read\":1500}");
    assertThat(json(api.get("/api/runs/" + failed.id())).path("export").isNull()).isTrue();
    assertThat(json(api.get("/api/runs/" + run.id() + "/manifest"))).isEqualTo(written);

    assertThat(error(api.get("/api/runs/" + failed.id() + "/manifest")))
        .isEqualTo("Run " + failed.id() + " has no manifest to show: it published none (failed).");
    HttpResponse<String> missing = api.get("/api/runs/20261124T000000000Z-000000");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("error").asText())
        .isEqualTo(
            "No run 20261124T000000000Z-000000 in the run history. See GET /api/runs for the run ids.");
  }

  @Test
  void aRunningRunShowsItsProgressAndIsCancelledThroughTheScheduler() {
    String runId = json(api.post("/api/jobs/orders/runs", "", TOKEN)).path("id").asText();
    Instant started = api.now();
    api.scheduler.tick();
    api.clock.advance(Duration.ofSeconds(42));

    JsonNode running = json(api.get("/api/runs/" + runId));
    assertThat(running.path("status").asText()).isEqualTo("running");
    JsonNode progress = running.path("progress");
    assertThat(progress.path("state").asText()).isEqualTo("running");
    assertThat(progress.path("attempt").asInt()).isEqualTo(1);
    assertThat(progress.path("attempt_started_at").asText()).isEqualTo(started.toString());
    assertThat(progress.path("elapsed_seconds").asDouble()).isEqualTo(42.0);
    assertThat(progress.path("owner").asText()).isEqualTo("scheduler@host-1");
    assertThat(progress.path("heartbeat_at").asText()).isEqualTo(started.toString());
    assertThat(progress.path("launched_here").asBoolean()).isTrue();
    assertThat(running.path("duration_seconds").asDouble()).isEqualTo(42.0);

    assertThat(api.post("/api/runs/" + runId + "/cancel", "", Optional.empty()).statusCode())
        .isEqualTo(401);
    HttpResponse<String> stopping = api.post("/api/runs/" + runId + "/cancel", "", TOKEN);
    assertThat(stopping.statusCode()).isEqualTo(202);
    assertThat(json(stopping).path("cancellation").asText()).isEqualTo("stopping");
    api.scheduler.tick();
    assertThat(api.store.runLog().run(runId).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);

    HttpResponse<String> ended = api.post("/api/runs/" + runId + "/cancel", "", TOKEN);
    assertThat(ended.statusCode()).isEqualTo(409);
    assertThat(json(ended).path("error").asText())
        .isEqualTo("Cannot cancel run " + runId + ": it has ended (cancelled).");
    assertThat(api.post("/api/runs/nope/cancel", "", TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void aQueuedRunIsCancelledAtOnceAndARunOfAnotherProcessIsNot() {
    String queued = json(api.post("/api/jobs/kpis/runs", "", TOKEN)).path("id").asText();
    JsonNode view = json(api.get("/api/runs/" + queued));
    assertThat(view.path("progress").path("state").asText()).isEqualTo("queued");
    assertThat(view.path("progress").path("attempt").asInt()).isEqualTo(1);
    assertThat(view.path("progress").path("launched_here").asBoolean()).isFalse();

    HttpResponse<String> cancelled = api.post("/api/runs/" + queued + "/cancel", "", TOKEN);
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(json(cancelled).path("status").asText()).isEqualTo("cancelled");
    assertThat(api.store.runLog().run(queued).orElseThrow().status())
        .isEqualTo(RunStatus.CANCELLED);

    // a run another process started (lakeport run, or a second scheduler) is not this scheduler's
    // to stop
    Run elsewhere =
        api.store
            .runLog()
            .enqueue(
                new RunRequest(
                    "20261124T080000000Z-e15e00",
                    "orders",
                    Optional.empty(),
                    Trigger.MANUAL,
                    Map.of()))
            .orElseThrow();
    api.store.runLog().start(elsewhere.id(), new Worker("host-2", 77));
    HttpResponse<String> refused = api.post("/api/runs/" + elsewhere.id() + "/cancel", "", TOKEN);
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json(refused).path("error").asText())
        .isEqualTo(
            "Cannot cancel run "
                + elsewhere.id()
                + ": it is running"
                + " in another process (not launched by this scheduler). Cancel it where it runs.");
  }

  @Test
  void healthPageAndUnknownPaths() {
    HttpResponse<String> health = api.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health))
        .isEqualTo(
            JSON.createObjectNode().put("live", true).put("ready", true).put("history", "ok"));

    HttpResponse<String> page = api.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"app.js\"></script>");
    assertThat(api.get("/app.js").body()).contains("/api/jobs");
    assertThat(api.get("/app.css").headers().firstValue("Content-Type"))
        .contains("text/css; charset=utf-8");

    HttpResponse<String> nothing = api.get("/api/things");
    assertThat(nothing.statusCode()).isEqualTo(404);
    assertThat(json(nothing).path("error").asText())
        .isEqualTo(
            "Nothing at /api/things. The API is under /api/jobs and"
                + " /api/runs; see also /metrics and /health.");
    assertThat(api.get("/etc/passwd").statusCode()).isEqualTo(404);
    assertThat(api.post("/api/jobs", "", TOKEN).statusCode()).isEqualTo(405);
    assertThat(api.post("/metrics", "", TOKEN).statusCode()).isEqualTo(405);
  }

  /** Enqueues, starts and publishes a manual run of {@code job} that takes {@code took}. */
  private Run publishedRun(String job, long rows, long bytes, long files, Duration took) {
    return publishedRun(
        job, rows, bytes, files, took, "file:/exports/" + job + "/_lakeport/manifest.json");
  }

  private Run publishedRun(
      String job, long rows, long bytes, long files, Duration took, String manifest) {
    Run run = startedRun(job);
    api.clock.advance(took);
    return api.store.runLog().finish(run.id(), RunOutcome.succeeded(rows, bytes, files, manifest));
  }

  private Run failedRun(String job, Duration took) {
    Run run = startedRun(job);
    api.clock.advance(took);
    return api.store
        .runLog()
        .finish(run.id(), RunOutcome.failed(3, "Cannot write the export: disk full; token=abc"));
  }

  private Run startedRun(String job) {
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
    return run;
  }

  private static List<String> ids(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    json(response).path("runs").forEach(run -> ids.add(run.path("id").asText()));
    return ids;
  }

  private static String error(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    JsonNode body = json(response);
    assertThat(body.path("status").asInt()).isEqualTo(response.statusCode());
    return body.path("error").asText();
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }
}
