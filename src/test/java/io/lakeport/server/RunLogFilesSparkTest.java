package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.cli.LaunchedRuns;
import io.lakeport.config.ApiSettings;
import io.lakeport.config.Site;
import io.lakeport.fault.Failpoints;
import io.lakeport.history.Run;
import io.lakeport.history.RunStatus;
import io.lakeport.schedule.launch.InProcessLauncher;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two runs of two jobs going on at once in one scheduler (in-process, on the shared Spark session,
 * as {@code lakeport scheduler start} runs them): each holds at its staged point until the other
 * gets there too, so they overlap for sure. Each run's log file holds its own lines (its start, a
 * line from one of its Spark task threads, its progress) and no line of the other run; the history
 * names the file, and the API shows its name and serves its tail.
 */
class RunLogFilesSparkTest {
  private static final Optional<String> TOKEN = Optional.of(ApiFixture.TOKEN);
  private static final Duration DEADLINE = Duration.ofMinutes(3);

  /** A Lakeport logger (INFO) used from Spark's task threads, where only {@code mdc.run} is set. */
  private static final Logger TASKS = LoggerFactory.getLogger("io.lakeport.tasks");

  /** The start of a log line: ISO time with its offset, and the level. */
  private static final Pattern LINE =
      Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) ");

  @TempDir Path dir;
  private ExecutorService pool;
  private ScheduledExecutorService timer;

  @BeforeEach
  void start() {
    TestSpark.session();
    pool = Executors.newFixedThreadPool(2);
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    Failpoints.clear();
    pool.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void eachOfTwoOverlappingRunsHasItsOwnLogFileNamedInTheHistoryAndServed() throws Exception {
    Path alpha = job("alpha", 300);
    Path beta = job("beta", 500);
    Path siteFile =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport.history.url = \"jdbc:h2:file:" + dir.resolve("history") + "\"\n");
    Site site = Site.load(Optional.of(siteFile));
    CyclicBarrier bothStaged = new CyclicBarrier(2);
    Failpoints.install(Failpoints.STAGED, () -> await(bothStaged));
    Failpoints.install(Failpoints.TASK_COMMITTED, () -> TASKS.info("task committed its output"));
    InProcessLauncher launcher =
        new InProcessLauncher(
            pool, timer, new LaunchedRuns(Optional.of(siteFile), Clock.systemUTC()));

    try (ApiFixture api =
        new ApiFixture(
            dir, ApiSettings.Reads.OPEN, true, launcher, Map.of("alpha", alpha, "beta", beta))) {
      String a = queue(api, "alpha");
      String b = queue(api, "beta");

      api.scheduler.tick();
      assertThat(api.scheduler.running()).containsExactlyInAnyOrder(a, b);
      CompletableFuture.runAsync(api.scheduler::awaitRuns)
          .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

      Path aLog = checkLogFile(api, site, "alpha", a, b);
      Path bLog = checkLogFile(api, site, "beta", b, a);
      assertThat(aLog).isNotEqualTo(bLog);
      checkServed(api, a, aLog);

      // a run that has not started has no log file yet; nothing outside the history is read
      String queued = queue(api, "alpha");
      assertNotFound(api, "/api/runs/" + queued + "/log", "has no log file to show");
      assertNotFound(api, "/api/runs/no-such-run/log", "No run no-such-run");
      assertNotFound(api, "/api/runs/..%2F..%2Fetc%2Fpasswd/log", "No run ../../etc/passwd");
      HttpResponse<String> tooMany = api.get("/api/runs/" + a + "/log?tail=100000");
      assertThat(tooMany.statusCode()).isEqualTo(400);
      assertThat(tooMany.body()).contains("tail: expected a whole number from 1 to 10000");
    }
  }

  /**
   * The run's file is where the history and the API say, under the site's logs folder, and holds
   * only its own lines.
   */
  private static Path checkLogFile(
      ApiFixture api, Site site, String job, String runId, String otherRunId) throws Exception {
    Run run = api.store.runLog().run(runId).orElseThrow();
    assertThat(run.status()).as(run.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
    Path file = site.logs().resolve(job).resolve(runId + ".log").toAbsolutePath().normalize();
    assertThat(run.logFile()).contains(file.toString());
    JsonNode shown = ApiServerTest.json(api.get("/api/runs/" + runId));
    assertThat(shown.path("log_file").asText()).isEqualTo(file.toString());
    assertThat(shown.path("log_url").asText()).isEqualTo("/api/runs/" + runId + "/log");

    String text = Files.readString(file);
    String tag = "[" + job + " " + runId + "]";
    assertThat(text)
        .as(text)
        .contains(tag + " ExportRunner: Run " + runId + " of job " + job + " started")
        .contains(tag + " tasks: task committed its output")
        .containsPattern(Pattern.quote(tag) + " progress: stage \\d+ done: \\d+ tasks in")
        .doesNotContain(otherRunId);
    List<String> lines = text.lines().filter(line -> LINE.matcher(line).find()).toList();
    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).contains(tag));
    return file;
  }

  /** {@code GET /api/runs/<id>/log?tail=N}: the file's last lines, as text. */
  private static void checkServed(ApiFixture api, String runId, Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    HttpResponse<String> tail = api.get("/api/runs/" + runId + "/log?tail=3");
    assertThat(tail.statusCode()).as(tail.body()).isEqualTo(200);
    assertThat(tail.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(tail.body())
        .isEqualTo(String.join("\n", lines.subList(lines.size() - 3, lines.size())) + "\n");
    HttpResponse<String> whole = api.get("/api/runs/" + runId + "/log");
    assertThat(lines.size()).isLessThan(RunsResource.DEFAULT_TAIL);
    assertThat(whole.body()).isEqualTo(String.join("\n", lines) + "\n");
  }

  private static void assertNotFound(ApiFixture api, String path, String message) {
    HttpResponse<String> response = api.get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
    assertThat(response.body()).contains(message);
  }

  private static String queue(ApiFixture api, String job) throws Exception {
    HttpResponse<String> queued = api.post("/api/jobs/" + job + "/runs", "{}", TOKEN);
    assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
    JsonNode view = ApiServerTest.json(queued);
    assertThat(view.path("log_file").isNull()).isTrue();
    return view.path("id").asText();
  }

  private Path job(String name, int rows) {
    StringBuilder csv = new StringBuilder("id,amount\n");
    for (int id = 0; id < rows; id++) {
      csv.append(id).append(',').append(id * 3 % 17).append('\n');
    }
    Path source = Fixtures.write(dir.resolve("warehouse/" + name), name + ".csv", csv.toString());
    return Fixtures.write(
        dir.resolve("jobs"),
        name + ".conf",
        """
        name = %s
        source { format = csv, path = "%s", options { header = true, infer-schema = true } }
        sink { format = parquet, path = "%s", mode = overwrite }
        """
            .formatted(name, source.getParent(), dir.resolve("exports/" + name)));
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the other run did not reach its staged point", e);
    }
  }
}
