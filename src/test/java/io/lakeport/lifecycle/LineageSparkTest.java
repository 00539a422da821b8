package io.lakeport.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.fault.Failpoints;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.manifest.Manifest;
import io.lakeport.notify.Receiver;
import io.lakeport.notify.RunLineage;
import io.lakeport.run.ExportRunner;
import io.lakeport.run.RunId;
import io.lakeport.run.RunResult;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenLineage events of real runs, delivered over HTTP to a server on 127.0.0.1 (standing in for
 * Marquez: the same endpoint and JSON) or written to a file, each checked against the OpenLineage
 * spec's JSON schemas (vendored in src/test/resources/openlineage, facets included) and against the
 * run's manifest: START before COMPLETE or FAIL with one run id, the datasets' schemas and
 * statistics, the manifest facet, and for a scheduled run the parent facet of its slot.
 */
class LineageSparkTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;
  private Path source;

  @BeforeEach
  void source() {
    source = dir.resolve("warehouse/people");
    spark
        .sql("SELECT id, concat('p', id) AS name, id % 90 AS age FROM range(0, 25)")
        .write()
        .parquet(source.toString());
  }

  @Test
  void aRunSendsStartThenCompleteMatchingItsManifestAndTheSpec() throws Exception {
    try (Receiver marquez = Receiver.answering()) {
      Site site = site("transport = http, url = \"" + marquez.url("") + "\"");
      JobSpec job = job(site, "select.columns = [id, name]");

      RunResult result;
      try (RunLifecycle lifecycle = RunLifecycle.recording(site, Clock.systemUTC(), w -> {})) {
        result =
            lifecycle.export(
                new ExportRunner(spark, Clock.systemUTC()),
                job,
                RunId.next(Clock.systemUTC()),
                Trigger.MANUAL);
      }

      Receiver.Request first = marquez.next(WAIT);
      Receiver.Request second = marquez.next(WAIT);
      assertThat(first.path()).isEqualTo("/api/v1/lineage");
      JsonNode start = JSON.readTree(first.body());
      JsonNode complete = JSON.readTree(second.body());
      assertThat(specProblems(start)).isEmpty();
      assertThat(specProblems(complete)).isEmpty();
      assertThat(start.get("eventType").asText()).isEqualTo("START");
      assertThat(complete.get("eventType").asText()).isEqualTo("COMPLETE");
      Manifest m = result.manifest();
      String uuid = RunLineage.runUuid(m.runId()).toString();
      assertThat(start.at("/run/runId").asText()).isEqualTo(uuid);
      assertThat(complete.at("/run/runId").asText()).isEqualTo(uuid);
      assertThat(uuid).as("a UUID v7").matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab].*");
      assertThat(complete.at("/job/namespace").asText()).isEqualTo("lakeport-test");
      assertThat(complete.at("/job/name").asText()).isEqualTo("people");
      assertThat(start.at("/run/facets/parent").isMissingNode()).as("a manual run").isTrue();

      JsonNode input = complete.at("/inputs/0");
      assertThat(input.get("namespace").asText()).isEqualTo("file");
      assertThat(input.get("name").asText()).isEqualTo(source.toString());
      assertThat(names(input.at("/facets/schema/fields"))).containsExactly("id", "name", "age");
      JsonNode output = complete.at("/outputs/0");
      assertThat(output.get("namespace").asText()).isEqualTo("file");
      assertThat(output.get("name").asText()).isEqualTo(dir.resolve("exports/people").toString());
      assertThat(names(output.at("/facets/schema/fields")))
          .containsExactlyElementsOf(m.schema().stream().map(Manifest.ColumnInfo::name).toList())
          .containsExactly("id", "name");
      assertThat(output.at("/facets/version/datasetVersion").asText()).isEqualTo(m.runId());
      JsonNode statistics = output.at("/outputFacets/outputStatistics");
      assertThat(statistics.get("rowCount").asLong()).isEqualTo(m.totals().rows()).isEqualTo(25);
      assertThat(statistics.get("size").asLong()).isEqualTo(m.totals().bytes());
      assertThat(statistics.get("fileCount").asLong()).isEqualTo(m.totals().files());
      JsonNode facet = complete.at("/run/facets/lakeport_manifest");
      assertThat(facet.get("run_id").asText()).isEqualTo(m.runId());
      assertThat(facet.get("manifest").asText()).isEqualTo(result.manifestPath().orElseThrow());
      assertThat(facet.at("/content/totals/rows").asLong()).isEqualTo(25);
      assertThat(facet.at("/content/job").asText()).isEqualTo("people");
      assertThat(complete.at("/run/facets/nominalTime/nominalStartTime").asText())
          .startsWith("2026-12-06T00:00");
      assertThat(marquez.count()).as("two events, no more").isZero();
    }
  }

  @Test
  void aRunOfSeveralInputsNamesEachAsAnInputDataset() throws Exception {
    Path more = dir.resolve("warehouse/more-people");
    spark
        .sql("SELECT id + 100 AS id, concat('q', id) AS name FROM range(0, 5)")
        .write()
        .parquet(more.toString());
    try (Receiver marquez = Receiver.answering()) {
      Site site = site("transport = http, url = \"" + marquez.url("") + "\"");
      Path file =
          Fixtures.write(
              dir,
              "everyone.conf",
              "name = everyone\nsources {\n  people { format = parquet, path = \""
                  + source
                  + "\" }\n  more { format = parquet, path = \""
                  + more
                  + "\" }\n}\nplan.union { inputs = [people, more], allow-missing-columns = true }\n"
                  + "sink { format = parquet, path = ${lakeport.exports}/everyone }\n");
      JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.RUN);

      try (RunLifecycle lifecycle = RunLifecycle.recording(site, Clock.systemUTC(), w -> {})) {
        lifecycle.export(
            new ExportRunner(spark, Clock.systemUTC()),
            job,
            RunId.next(Clock.systemUTC()),
            Trigger.MANUAL);
      }

      JsonNode start = JSON.readTree(marquez.next(WAIT).body());
      JsonNode complete = JSON.readTree(marquez.next(WAIT).body());
      assertThat(specProblems(complete)).isEmpty();
      assertThat(names(start.at("/inputs"))).containsExactly(source.toString(), more.toString());
      assertThat(names(complete.at("/inputs"))).containsExactly(source.toString(), more.toString());
      assertThat(names(complete.at("/inputs/0/facets/schema/fields")))
          .containsExactly("id", "name", "age");
      assertThat(names(complete.at("/inputs/1/facets/schema/fields")))
          .containsExactly("id", "name");
    }
  }

  @Test
  void aFailedRunSendsFailWithItsErrorAndAScheduledOneNamesItsSlotAsParent() throws Exception {
    Path events = dir.resolve("lineage/events.jsonl");
    Site site = site("transport = file, file = \"" + events + "\"");
    JobSpec broken = job(site, "derive { x = \"assert_true(id < 0, 'planted failure')\" }");
    String failedRun = RunId.next(Clock.systemUTC());
    try (RunLifecycle lifecycle = RunLifecycle.recording(site, Clock.systemUTC(), w -> {})) {
      Throwable thrown =
          catchThrowable(
              () ->
                  lifecycle.export(
                      new ExportRunner(spark, Clock.systemUTC()),
                      broken,
                      failedRun,
                      Trigger.MANUAL));
      assertThat(thrown).isNotNull();
    }
    // a scheduled run: the scheduler claimed it for its slot before it started
    JobSpec job = job(site, "select.columns = [id]");
    Instant slot = Instant.parse("2026-12-07T02:00:00Z");
    String scheduledRun = "20261207T020000000Z-5c4e1d";
    try (HistoryStore store = HistoryStore.open(site.history(), Clock.systemUTC())) {
      store
          .runLog()
          .begin(
              new RunRequest(scheduledRun, "people", Optional.of(slot), Trigger.SCHEDULE, Map.of()),
              new Worker("scheduler-host", 1));
    }
    try (RunLifecycle lifecycle = RunLifecycle.underScheduler(site, Clock.systemUTC())) {
      lifecycle.export(
          new ExportRunner(spark, Clock.systemUTC()), job, scheduledRun, Trigger.SCHEDULE);
    }

    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(events)) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSize(4).allSatisfy(e -> assertThat(specProblems(e)).isEmpty());
    assertThat(lines)
        .extracting(e -> e.get("eventType").asText() + " " + e.at("/run/runId").asText())
        .containsExactly(
            "START " + RunLineage.runUuid(failedRun),
            "FAIL " + RunLineage.runUuid(failedRun),
            "START " + RunLineage.runUuid(scheduledRun),
            "COMPLETE " + RunLineage.runUuid(scheduledRun));
    assertThat(lines.get(1).at("/run/facets/errorMessage/message").asText())
        .contains("planted failure");
    assertThat(lines.get(1).at("/run/facets/errorMessage/programmingLanguage").asText())
        .isEqualTo("text");
    RunLineage.Parent parent = RunLineage.Parent.ofSlot("lakeport-test", "people", slot);
    for (JsonNode event : lines.subList(2, 4)) {
      assertThat(event.at("/run/facets/parent/job/name").asText()).isEqualTo("people.schedule");
      assertThat(event.at("/run/facets/parent/job/namespace").asText()).isEqualTo("lakeport-test");
      assertThat(event.at("/run/facets/parent/run/runId").asText())
          .isEqualTo(parent.runId().toString());
    }
    assertThat(RunLineage.Parent.ofSlot("lakeport-test", "people", slot).runId())
        .as("every attempt of a slot has the same parent")
        .isEqualTo(parent.runId());
    try (HistoryStore store = HistoryStore.open(site.history(), Clock.systemUTC())) {
      assertThat(store.deliveries().notifications(failedRun))
          .extracting(Notification::channel, Notification::target, Notification::delivery)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "openlineage", "start to " + events, Notification.Delivery.SENT),
              org.assertj.core.groups.Tuple.tuple(
                  "openlineage", "fail to " + events, Notification.Delivery.SENT));
    }
  }

  @Test
  void aRunStartedByAnAirflowTaskNamesItAsParent() throws Exception {
    Path events = dir.resolve("lineage/events.jsonl");
    Site site = site("transport = file, file = \"" + events + "\"");
    JobSpec job = job(site, "select.columns = [id]");
    RunLineage.Parent task =
        RunLineage.Parent.parse("airflow/people.run/scheduled__2026-12-07T02:00:00+00:00");

    try (RunLifecycle lifecycle =
        RunLifecycle.recording(site, Clock.systemUTC(), w -> {})
            .withLineageParent(Optional.of(task))) {
      lifecycle.export(
          new ExportRunner(spark, Clock.systemUTC()),
          job,
          RunId.next(Clock.systemUTC()),
          Trigger.MANUAL);
    }

    List<String> lines = Files.readAllLines(events);
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      JsonNode event = JSON.readTree(line);
      assertThat(specProblems(event)).isEmpty();
      assertThat(event.at("/run/facets/parent/job/namespace").asText()).isEqualTo("airflow");
      assertThat(event.at("/run/facets/parent/job/name").asText()).isEqualTo("people.run");
      assertThat(event.at("/run/facets/parent/run/runId").asText())
          .isEqualTo(task.runId().toString());
    }
  }

  @Test
  void aLineageBackendThatIsDownNeverFailsTheRunAndIsRecorded() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Site site = site("transport = http, url = \"http://127.0.0.1:" + closed + "\", timeout = 2s");
    JobSpec job = job(site, "select.columns = [id]");
    String runId = RunId.next(Clock.systemUTC());

    RunResult result;
    try (RunLifecycle lifecycle = RunLifecycle.recording(site, Clock.systemUTC(), w -> {})) {
      result =
          lifecycle.export(new ExportRunner(spark, Clock.systemUTC()), job, runId, Trigger.MANUAL);
    }

    assertThat(result.status()).isEqualTo(RunResult.Status.PUBLISHED);
    try (HistoryStore store = HistoryStore.open(site.history(), Clock.systemUTC())) {
      assertThat(store.runLog().run(runId).orElseThrow().status().text()).isEqualTo("succeeded");
      assertThat(store.deliveries().notifications(runId))
          .hasSize(2)
          .allSatisfy(
              n -> {
                assertThat(n.channel()).isEqualTo("openlineage");
                assertThat(n.delivery()).isEqualTo(Notification.Delivery.FAILED);
                assertThat(n.target()).endsWith("127.0.0.1:" + closed + "/api/v1/lineage");
                assertThat(n.error()).isPresent();
              });
    }
  }

  @Test
  void aRunStoppedBySigtermSendsAbortBeforeItsProcessEnds() throws Exception {
    Path events = dir.resolve("lineage/events.jsonl");
    Site site = site("transport = file, file = \"" + events + "\"");
    job(site, "select.columns = [id]");
    Path siteFile = dir.resolve("application.conf");

    ChildLakeport.Held held =
        ChildLakeport.holdAt(
            Failpoints.STAGED,
            dir,
            "--site-conf",
            siteFile.toString(),
            "run",
            dir.resolve("people.conf").toString(),
            "-p",
            "run_date=2026-12-06");
    held.terminate();

    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(events)) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).allSatisfy(e -> assertThat(specProblems(e)).isEmpty());
    assertThat(lines)
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "ABORT");
    assertThat(lines.get(1).at("/run/runId").asText())
        .isEqualTo(lines.get(0).at("/run/runId").asText());
    assertThat(lines.get(1).at("/run/facets/errorMessage/message").asText())
        .contains("interrupted: the process was stopped");
  }

  private Site site(String transport) {
    return Site.load(
        Optional.of(
            Fixtures.write(
                dir,
                "application.conf",
                "lakeport {\n  exports = \""
                    + dir.resolve("exports")
                    + "\"\n  history.url = \"jdbc:h2:file:"
                    + dir.resolve("history/lakeport")
                    + "\"\n  lineage { enabled = true, namespace = lakeport-test, "
                    + transport
                    + " }\n}\n")));
  }

  private JobSpec job(Site site, String plan) {
    Path file =
        Fixtures.write(
            dir,
            "people.conf",
            "name = people\nsource { format = parquet, path = \""
                + source
                + "\" }\nplan { "
                + plan
                + " }\nsink { format = parquet, path = ${lakeport.exports}/people, mode = overwrite }\n");
    return new JobLoader(site).load(file, Map.of("run_date", "2026-12-06"), JobLoader.Mode.RUN);
  }

  private static List<String> names(JsonNode fields) {
    List<String> names = new ArrayList<>();
    fields.forEach(f -> names.add(f.get("name").asText()));
    return names;
  }

  /**
   * The event against the spec's RunEvent schema, then each facet against the schema its {@code
   * _schemaURL} names (a custom facet against the base facet's), all resolved from the vendored
   * files.
   */
  private static Set<ValidationMessage> specProblems(JsonNode event) {
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder ->
                builder.schemaMappers(
                    m ->
                        m.mapPrefix(
                            "https://openlineage.io/spec/", "classpath:openlineage/spec/")));
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    Set<ValidationMessage> problems =
        new java.util.LinkedHashSet<>(
            factory
                .getSchema(SchemaLocation.of(event.get("schemaURL").asText()), config)
                .validate(event));
    List<JsonNode> facets = new ArrayList<>();
    collectFacets(event.at("/run/facets"), facets);
    collectFacets(event.at("/job/facets"), facets);
    for (String list : List.of("/inputs", "/outputs")) {
      for (JsonNode dataset : event.at(list)) {
        collectFacets(dataset.at("/facets"), facets);
        collectFacets(dataset.at("/outputFacets"), facets);
        collectFacets(dataset.at("/inputFacets"), facets);
      }
    }
    assertThat(facets).as("facets found").isNotEmpty();
    for (JsonNode facet : facets) {
      JsonSchema schema =
          factory.getSchema(SchemaLocation.of(facet.get("_schemaURL").asText()), config);
      problems.addAll(schema.validate(facet));
    }
    return problems;
  }

  private static void collectFacets(JsonNode facets, List<JsonNode> into) {
    if (facets.isObject()) {
      for (Iterator<JsonNode> it = facets.elements(); it.hasNext(); ) {
        into.add(it.next());
      }
    }
  }
}
