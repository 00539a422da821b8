package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.cli.LaunchedRuns;
import io.lakeport.config.ApiSettings;
import io.lakeport.history.Run;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.schedule.launch.InProcessLauncher;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run now of a job without a schedule, carried out for real: queued by a POST over HTTP to the API
 * server on 127.0.0.1, started by the scheduler's next pass in this JVM on the shared Spark session
 * (the in-process launcher with the command line's {@link LaunchedRuns}, as {@code lakeport
 * scheduler start} launches), and recorded succeeded in the H2 run history with the rows of the
 * export, which are the rows the job's filter keeps as counted here in plain Java.
 */
class RunNowSparkTest {
  private static final Optional<String> TOKEN = Optional.of(ApiFixture.TOKEN);
  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final String[] KINDS = {"click", "view", "view", ""};

  @TempDir Path dir;
  private SparkSession spark;
  private ExecutorService pool;
  private ScheduledExecutorService timer;

  @BeforeEach
  void start() {
    spark = TestSpark.session();
    pool = Executors.newFixedThreadPool(2);
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void aJobWithoutAScheduleIsQueuedOverHttpStartedByTheSchedulerAndPublished() throws Exception {
    StringBuilder csv = new StringBuilder("id,kind\n");
    List<Long> views = new ArrayList<>();
    for (long id = 0; id < 500; id++) {
      String kind = KINDS[(int) (id * 7 % KINDS.length)];
      csv.append(id).append(',').append(kind).append('\n');
      if (kind.equals("view")) {
        views.add(id);
      }
    }
    Path events = Fixtures.write(dir.resolve("warehouse/events"), "events.csv", csv.toString());
    Path export = dir.resolve("exports/events");
    Path job =
        Fixtures.write(
            dir.resolve("jobs"),
            "events.conf",
            """
            name = events
            params { kind = click }
            source { format = csv, path = "%s", options { header = true, infer-schema = true } }
            plan.where = { column = kind, eq = ${params.kind} }
            sink { format = parquet, path = "%s", mode = overwrite }
            """
                .formatted(events.getParent(), export));
    Path site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport.history.url = \"jdbc:h2:file:" + dir.resolve("history") + "\"\n");
    InProcessLauncher launcher =
        new InProcessLauncher(pool, timer, new LaunchedRuns(Optional.of(site), Clock.systemUTC()));

    try (ApiFixture api =
        new ApiFixture(dir, ApiSettings.Reads.OPEN, true, launcher, Map.of("events", job))) {
      HttpResponse<String> queued =
          api.post("/api/jobs/events/runs", "{\"params\": {\"kind\": \"view\"}}", TOKEN);

      assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
      JsonNode view = ApiServerTest.json(queued);
      String runId = view.path("id").asText();
      assertThat(view.path("status").asText()).isEqualTo("queued");
      assertThat(view.path("trigger").asText()).isEqualTo("manual");
      assertThat(view.path("params").path("kind").asText()).isEqualTo("view");

      api.scheduler.tick();
      assertThat(api.scheduler.running()).containsExactly(runId);
      // the scheduler records the run's end once its launch has ended, within the deadline
      CompletableFuture.runAsync(api.scheduler::awaitRuns)
          .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

      Run run = api.store.runLog().run(runId).orElseThrow();
      assertThat(run.status()).as(run.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.trigger()).isEqualTo(Trigger.MANUAL);
      assertThat(run.rows()).contains((long) views.size());
      assertThat(run.manifest().orElseThrow()).contains("manifest-" + runId);
      List<Long> exported =
          spark.read().parquet(export.toString()).select("id").collectAsList().stream()
              .map(row -> ((Number) row.get(0)).longValue())
              .sorted()
              .toList();
      assertThat(exported).isEqualTo(views);
      JsonNode shown = ApiServerTest.json(api.get("/api/runs/" + runId));
      assertThat(shown.path("status").asText()).isEqualTo("succeeded");
      assertThat(shown.path("rows").asLong()).isEqualTo(views.size());
      assertThat(
              ApiServerTest.json(api.get("/api/jobs/events")).path("last_run").path("id").asText())
          .isEqualTo(runId);
    }
  }
}
