package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.TestSpark;
import io.lakeport.config.Site;
import io.lakeport.fault.Failpoints;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.manifest.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as users call it: exit codes, what goes to stdout and stderr, no stack traces
 * for user errors.
 */
class CliSparkTest {
  @TempDir Path dir;
  private Path site;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void siteWithTemporaryFolders() throws Exception {
    TestSpark.session();
    Path warehouse = Files.createDirectories(dir.resolve("warehouse"));
    Files.writeString(
        warehouse.resolve("people.csv"),
        "id,name,age\n1,ada,36\n2,alan,41\n3,grace,\n4,edsger,72\n");
    site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport { warehouse = \""
                + warehouse
                + "\", exports = \""
                + dir.resolve("exports")
                + "\", history.url = \"jdbc:h2:file:"
                + dir.resolve("history/lakeport")
                + "\" }\n");
  }

  @Test
  void validateAcceptsEveryJobInTheRepository() {
    int code = lakeport("validate", "jobs");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().lines())
        .hasSize(6)
        .allSatisfy(l -> assertThat(l).startsWith("ok jobs/"));
  }

  @Test
  void validateReportsBadSqlWithItsLineAndExitsWithTwo() {
    Path job =
        Fixtures.write(
            dir,
            "bad-sql.conf",
            """
        name = bad-sql
        source { format = csv, path = ${lakeport.warehouse}/people.csv }
        plan.derive {
          older = "age +* 1"
        }
        sink { format = json, path = ${lakeport.exports}/people }
        """);

    int code = lakeport("validate", job.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            Fixtures.displayed(job)
                + ":4: plan.derive.older: invalid SQL expression \"age +* 1\": "
                + "[PARSE_SYNTAX_ERROR] Syntax error at or near '1': extra input '1'. Fix the expression (Spark SQL syntax).\n");
  }

  @Test
  void validateReportsEveryMistakeOfAFileAndRefusesAListDoubledThirtyTimes() {
    Path broken = Path.of("src/test/resources/jobs/broken");
    Path threeMistakes = broken.resolve("three-mistakes.conf");
    Path doubling = broken.resolve("list-doubling.conf");

    int code = lakeport("validate", threeMistakes.toString(), doubling.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines())
        .as("one line per problem, no stack trace")
        .extracting(l -> l.substring(0, l.indexOf(": ", l.indexOf(':') + 1)))
        .containsExactly(
            threeMistakes + ":12", threeMistakes + ":7", threeMistakes + ":11", doubling + ":24");
  }

  @Test
  void runChecksSqlBeforeStartingAnything() {
    Path job =
        Fixtures.write(
            dir,
            "bad-where.conf",
            """
        name = bad-where
        source { format = csv, path = /does/not/matter }
        plan.where = "age >"
        sink { format = json, path = ${lakeport.exports}/never }
        """);

    assertThat(lakeport("run", job.toString())).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            Fixtures.displayed(job)
                + ":3: plan.where: invalid SQL expression \"age >\": [PARSE_SYNTAX_ERROR]");
    assertThat(dir.resolve("exports")).doesNotExist();
  }

  @Test
  void aStringParameterBoundInSqlIsAValueNeverSql() {
    Path job =
        Fixtures.write(
            dir,
            "by-name.conf",
            """
        name = by-name
        params { who = null }
        source { format = csv, path = ${lakeport.warehouse}/people.csv, options { header = true } }
        plan.where = "name = :who or name = upper(:who)"
        sink { format = json, path = ${lakeport.exports}/by-name, on-empty = publish }
        """);

    assertThat(lakeport("run", job.toString(), "-p", "who=x' OR 1=1 --"))
        .as(err.toString())
        .isZero();
    assertThat(exportedNames("by-name")).as("the injection matches no name").isEmpty();

    assertThat(lakeport("run", job.toString(), "-p", "who=grace")).as(err.toString()).isZero();
    assertThat(exportedNames("by-name")).containsExactly("grace");
  }

  @Test
  void validateRefusesAMarkerThatIsNotAParameter() {
    Path job =
        Fixtures.write(
            dir,
            "unknown-marker.conf",
            """
        name = unknown-marker
        params { who = ada }
        source { format = csv, path = ${lakeport.warehouse}/people.csv }
        plan.where = "name = :whom"
        sink { format = json, path = ${lakeport.exports}/unknown-marker }
        """);

    assertThat(lakeport("validate", job.toString())).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            Fixtures.displayed(job)
                + ":4: plan.where: :whom is not a parameter of this job. Did you mean \"who\"?"
                + " Declare it in params { whom = ... } or pass --param whom=....\n");
  }

  private List<String> exportedNames(String export) {
    return TestSpark.session()
        .read()
        .schema("name STRING")
        .json(dir.resolve("exports").resolve(export).toString())
        .as(Encoders.STRING())
        .collectAsList();
  }

  @Test
  void jobsListsEveryJobWithItsDescription() {
    assertThat(lakeport("jobs", "--dir", "jobs")).isZero();
    assertThat(out.toString())
        .contains(
            "security-anomalies-daily",
            "Hourly KPIs of serious anomalies per customer",
            "orders-kpis-monthly",
            "org-assignments-active",
            "persons-directory");
  }

  @Test
  void runReportsMissingParamsWithoutAStackTrace() {
    int code = lakeport("run", "jobs/security-anomalies-daily.conf");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "jobs/security-anomalies-daily.conf:10: params.run_date: required parameter has no value."
                + " Pass --param run_date=<a date like 2026-11-23>.\n");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(lakeport("run", "--paramz", "x=1", "jobs")).isEqualTo(2);
    assertThat(err.toString()).startsWith("Unknown option: '--paramz'");
  }

  @Test
  void runExportsAndPrintsWhereTheManifestIs() throws Exception {
    Path job = people("json");

    int code = lakeport("run", job.toString(), "--param", "min_age=40");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("job people run ").contains(": 2 rows in ");
    String manifest =
        out.toString()
            .lines()
            .filter(l -> l.startsWith("manifest: file:"))
            .findFirst()
            .orElseThrow();
    assertThat(Path.of(URI.create(manifest.substring("manifest: ".length())))).exists();
  }

  @Test
  void eachRunIsRecordedInTheHistoryWithWhatItWrote() {
    Path job = people("json");

    assertThat(lakeport("run", job.toString(), "--param", "min_age=40"))
        .as(err.toString())
        .isZero();
    String runId =
        out.toString()
            .lines()
            .filter(l -> l.startsWith("job people run "))
            .findFirst()
            .orElseThrow()
            .substring("job people run ".length())
            .split(":")[0];
    String manifest =
        out.toString()
            .lines()
            .filter(l -> l.startsWith("manifest: "))
            .findFirst()
            .orElseThrow()
            .substring("manifest: ".length());
    out.getBuffer().setLength(0);

    assertThat(lakeport("history")).isZero();
    assertThat(out.toString().lines())
        .hasSize(2)
        .last()
        .asString()
        .matches(runId + "  people  manual   succeeded  \\S+Z +\\S+s +2 +" + bytes(manifest));
    out.getBuffer().setLength(0);
    assertThat(lakeport("status", runId)).isZero();
    assertThat(out.toString().lines())
        .contains(
            "status    succeeded",
            "params    min_age=40",
            "rows      2",
            "files     1",
            "manifest  " + manifest,
            "error     -")
        .anySatisfy(l -> assertThat(l).startsWith("  #1  ").contains("  exit 0  on "));
    assertThat(err.toString()).doesNotContain("warning");
  }

  @Test
  void aRunGoesOnWithAWarningWhenTheHistoryCannotBeOpened() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Files.writeString(
        site,
        Files.readString(site)
            + "lakeport.history.url = \"jdbc:postgresql://127.0.0.1:"
            + port
            + "/lakeport\"\n");

    int code = lakeport("run", people("json").toString(), "--param", "min_age=40");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("job people run ").contains(": 2 rows in ");
    assertThat(err.toString().lines().filter(l -> l.startsWith("warning: ")))
        .singleElement()
        .asString()
        .startsWith(
            "warning: Cannot open the run history at jdbc:postgresql://127.0.0.1:"
                + port
                + "/lakeport: Connection to 127.0.0.1:"
                + port
                + " refused.")
        .endsWith(
            ". The run goes on without being recorded in the run history, and only this host's locks"
                + " keep other runs off its export; see lakeport.history in the site settings.");
  }

  @Test
  void aStorageFailureExitsWithThree() throws Exception {
    Files.writeString(dir.resolve("blocker"), "a file where a folder should be");
    Path job =
        Fixtures.write(
            dir,
            "blocked.conf",
            """
        name = blocked
        source { format = csv, path = ${lakeport.warehouse}/people.csv, options { header = true } }
        sink { format = json, path = "%s/export" }
        """
                .formatted(dir.resolve("blocker")));

    int code = lakeport("run", job.toString());

    assertThat(code).as(out + "\n" + err).isEqualTo(3);
    assertThat(err.toString()).startsWith("error: ").doesNotContain("\tat ");
    out.getBuffer().setLength(0);
    assertThat(lakeport("history", "--status", "failed")).isZero();
    String runId = out.toString().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
    out.getBuffer().setLength(0);
    assertThat(lakeport("status", runId)).isZero();
    assertThat(out.toString())
        .contains(
            "\nstatus    failed\n",
            "\nerror     Cannot write the export for job blocked (run " + runId)
        .containsPattern("\n  #1  \\S+ -> \\S+  exit 3  on ");
  }

  @Test
  void explainShowsOurStepsThenSparksPlanWithPushedFilters() {
    Path job = people("parquet");
    TestSpark.session()
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(dir.resolve("warehouse/people.csv").toString())
        .write()
        .parquet(dir.resolve("warehouse/people.parquet").toString());
    Path parquetJob =
        Fixtures.write(
            dir,
            "people-parquet.conf",
            read(job)
                .replace(
                    "format = csv, path = ${lakeport.warehouse}/people.csv, options { header = true, infer-schema = true }",
                    "format = parquet, path = ${lakeport.warehouse}/people.parquet"));

    int code = lakeport("explain", parquetJob.toString(), "--param", "min_age=40");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains(
            "== Lakeport plan: people ==",
            "filter (age >= 40)",
            "== Spark physical plan ==",
            "PushedFilters: [IsNotNull(age), GreaterThanOrEqual(age,40)]");
  }

  @Test
  void explainShowsPartitionPruningUnderAdaptiveExecution() throws Exception {
    TestSpark.session()
        .createDataFrame(
            List.of(
                RowFactory.create(1, "2026-11-22"),
                RowFactory.create(2, "2026-11-23"),
                RowFactory.create(3, "2026-11-23")),
            new StructType().add("id", "int").add("day", "string"))
        .write()
        .partitionBy("day")
        .parquet(dir.resolve("warehouse/events").toString());
    Path job =
        Fixtures.write(
            dir,
            "events.conf",
            """
        name = events
        params { run_date = null }
        source { format = parquet, path = ${lakeport.warehouse}/events }
        plan {
          where = { and = [ { column = day, eq = ${params.run_date} }, { column = id, gt = 1 } ] }
          aggregate { group-by = [day], metrics { events = "count" } }
        }
        sink { format = parquet, path = ${lakeport.exports}/events, partition-by = [day] }
        """);

    int code = lakeport("explain", job.toString(), "--param", "run_date=2026-11-23");

    assertThat(code).as(err.toString()).isZero();
    // only the folder day=2026-11-23 is read, the id filter goes to the Parquet reader, and
    // adaptive execution (which rebalances partitioned writes) stays on
    String partitionFilters =
        out.toString()
            .lines()
            .filter(l -> l.contains("PartitionFilters: "))
            .findFirst()
            .orElseThrow();
    assertThat(partitionFilters)
        .containsPattern(
            "PartitionFilters: \\[isnotnull\\(day#\\d+\\), \\(day#\\d+ = 2026-11-23\\)\\]");
    assertThat(out.toString())
        .contains(
            "PushedFilters: [IsNotNull(id), GreaterThan(id,1)]",
            "AdaptiveSparkPlan (",
            "isFinalPlan=false");
  }

  @Test
  void previewPrintsRowsAndWritesNothing() {
    Path job = people("json");
    int code = lakeport("preview", job.toString(), "--param", "min_age=40");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("|alan  |41 |", "|edsger|72 |").doesNotContain("ada");
    assertThat(dir.resolve("exports")).doesNotExist();
  }

  private Path people(String format) {
    return Fixtures.write(
        dir,
        "people.conf",
        """
        name = people
        params { min_age = 18 }
        param-types { min_age = int }
        source { format = csv, path = ${lakeport.warehouse}/people.csv, options { header = true, infer-schema = true } }
        plan {
          where = { column = age, gte = ${params.min_age} }
          select.columns = [name, age]
        }
        sink { format = %s, path = ${lakeport.exports}/people }
        """
            .formatted(format));
  }

  /** The bytes a manifest reports, as the history table shows them. */
  private static String bytes(String manifest) {
    try (InputStream in = Files.newInputStream(Path.of(URI.create(manifest)))) {
      return String.format(Locale.ROOT, "%,d", Manifest.fromJson(in).totals().bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code lakeport <command> --site-conf=<temp site> <rest...>}. */
  @Test
  void aBackfillRunsEachWindowInOrderAndSkipsPublishedOnesUnlessForced() throws Exception {
    Path events = Files.createDirectories(dir.resolve("warehouse").resolve("events"));
    StringBuilder csv = new StringBuilder("id,day\n");
    for (int i = 0; i < 40; i++) {
      csv.append(i).append(",2026-10-0").append(1 + i % 5).append('\n');
    }
    Files.writeString(events.resolve("events.csv"), csv);
    Path job =
        Fixtures.write(
            dir,
            "daily.conf",
            """
        name = daily
        params { run_date = null }
        source { format = csv, path = ${lakeport.warehouse}/events, options { header = true, infer-schema = true } }
        plan.where = { column = day, eq = ${params.run_date} }
        sink { format = json, path = ${lakeport.exports}/daily, partition-by = [day] }
        """);

    int first = lakeport("run", job.toString(), "--from", "2026-10-02", "--to", "2026-10-04");
    String firstOut = out.toString();
    out.getBuffer().setLength(0);
    int again = lakeport("run", job.toString(), "--from", "2026-10-01", "--to", "2026-10-04");
    String againOut = out.toString();
    out.getBuffer().setLength(0);
    int forced =
        lakeport("run", job.toString(), "--from", "2026-10-04", "--to", "2026-10-04", "--force");

    assertThat(first).as(err.toString()).isZero();
    assertThat(firstOut.lines().filter(l -> l.startsWith("job daily run ")))
        .hasSize(3)
        .allSatisfy(l -> assertThat(l).contains(": 8 rows in 1 files"));
    assertThat(again).isZero();
    assertThat(againOut.lines().filter(l -> l.contains("already published")))
        .hasSize(3)
        .satisfiesExactly(
            l -> assertThat(l).startsWith("job daily window 2026-10-02"),
            l -> assertThat(l).startsWith("job daily window 2026-10-03"),
            l -> assertThat(l).startsWith("job daily window 2026-10-04"));
    assertThat(againOut.lines().filter(l -> l.startsWith("job daily run ")))
        .as("only 2026-10-01 ran")
        .hasSize(1);
    assertThat(forced).isZero();
    assertThat(out.toString()).startsWith("job daily run ");
    try (var days = Files.list(dir.resolve("exports").resolve("daily"))) {
      assertThat(
              days.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("day=")).sorted())
          .containsExactly("day=2026-10-01", "day=2026-10-02", "day=2026-10-03", "day=2026-10-04");
    }
    assertThat(lakeport("run", job.toString(), "--from", "2026-10-04", "--to", "2026-10-01"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("A backfill needs --from and --to, with --to on or after --from.");
  }

  @Test
  void schedulerStartOnceRunsTheDueSlotOfAJobAndRecordsIt() throws Exception {
    Path job = nightlyJob();
    TestClock clock = TestClock.at("2026-11-24T01:00:30Z");

    int code =
        Lakeport.execute(
            clock,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "scheduler",
            "--site-conf=" + site,
            "start",
            "--once",
            job.toString());

    assertThat(code).as(err.toString()).isZero();
    try (HistoryStore history = HistoryStore.open(Site.load(Optional.of(site)).history(), clock)) {
      var runs = history.runLog().runs(new RunFilter(Optional.of("nightly"), Optional.empty(), 10));
      assertThat(runs)
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.status()).as(run.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.slot()).contains(Instant.parse("2026-11-24T01:00:00Z"));
                assertThat(run.params()).containsEntry("run_date", "2026-11-23");
                assertThat(out.toString())
                    .contains("run " + run.id() + " of job nightly: succeeded");
              });
    }
    try (var files = Files.list(dir.resolve("exports").resolve("nightly"))) {
      String json =
          files
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .map(CliSparkTest::read)
              .reduce("", String::concat);
      assertThat(json.lines())
          .hasSize(2)
          .allSatisfy(line -> assertThat(line).contains("2026-11-23"));
    }
  }

  @Test
  void runNowQueuesARunWithTheLatestSlotsRunDateAndTheSchedulerStartsIt() throws Exception {
    Path job = nightlyJob();
    // Four hours after the slot: a first scheduler start would not run it, so only run-now's run
    // runs.
    TestClock clock = TestClock.at("2026-11-24T05:00:00Z");
    PrintWriter printOut = new PrintWriter(out, true);
    PrintWriter printErr = new PrintWriter(err, true);

    int queued =
        Lakeport.execute(
            clock, printOut, printErr, "run-now", "--site-conf=" + site, job.toString());
    int refused =
        Lakeport.execute(
            clock,
            printOut,
            printErr,
            "run-now",
            "--site-conf=" + site,
            job.toString(),
            "--param",
            "api_token=abc");
    int started =
        Lakeport.execute(
            clock,
            printOut,
            printErr,
            "scheduler",
            "--site-conf=" + site,
            "start",
            "--once",
            job.toString());

    assertThat(queued).as(err.toString()).isZero();
    assertThat(out.toString())
        .containsPattern(
            "queued run \\S+ of job nightly with run_date=2026-11-23: the scheduler"
                + " starts it at its next pass");
    assertThat(refused).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "api_token cannot be one; give secrets to the job through the environment or a file.");
    assertThat(started).as(err.toString()).isZero();
    try (HistoryStore history = HistoryStore.open(Site.load(Optional.of(site)).history(), clock)) {
      var runs = history.runLog().runs(new RunFilter(Optional.of("nightly"), Optional.empty(), 10));
      assertThat(runs)
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.trigger()).isEqualTo(Trigger.MANUAL);
                assertThat(run.status()).as(run.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.rows()).contains(2L);
                assertThat(run.manifest())
                    .hasValueSatisfying(
                        m -> assertThat(m).contains("/nightly/_lakeport/manifest-" + run.id()));
              });
    }
  }

  /**
   * A job scheduled daily at 01:00 UTC that exports its run_date's events: 1 row on 2026-11-22, 2
   * on the 23rd.
   */
  private Path nightlyJob() throws IOException {
    Path events = Files.createDirectories(dir.resolve("warehouse").resolve("events"));
    Files.writeString(
        events.resolve("events.csv"), "id,day\n1,2026-11-22\n2,2026-11-23\n3,2026-11-23\n");
    return Fixtures.write(
        dir,
        "nightly.conf",
        """
        name = nightly
        time-zone = UTC
        params { run_date = null }
        source { format = csv, path = ${lakeport.warehouse}/events, options { header = true, infer-schema = true } }
        plan.where = { column = day, eq = ${params.run_date} }
        sink { format = json, path = ${lakeport.exports}/nightly }
        schedule { every = daily, run-time = "01:00" }
        """);
  }

  @Test
  void runOfSeveralJobsRunsEveryOneSummarizesAndExitsWithTheWorstCode() throws Exception {
    Path broken =
        Fixtures.write(
            dir,
            "a-broken.conf",
            """
            name = a-broken
            source { format = parquet, path = ${lakeport.warehouse}/nothing-here }
            sink { format = json, path = ${lakeport.exports}/broken }
            """);
    Path good =
        Fixtures.write(
            dir,
            "b-good.conf",
            """
            name = b-good
            source { format = csv, path = ${lakeport.warehouse}/people.csv, options { header = true } }
            sink { format = json, path = ${lakeport.exports}/good }
            """);

    Path outcome = dir.resolve("outcome.json");

    int code =
        lakeport("run", broken.toString(), good.toString(), "--outcome-file", outcome.toString());

    assertThat(code).as("the worst: a job mistake").isEqualTo(2);
    assertThat(err.toString()).contains("job a-broken run ", "failed:", "cannot read");
    List<String> table = out.toString().lines().dropWhile(line -> !line.startsWith("JOB")).toList();
    assertThat(table).hasSize(3);
    assertThat(table.get(0)).matches("JOB\\s+RUN\\s+OUTCOME\\s+ROWS\\s+EXIT");
    assertThat(table.get(1)).matches("a-broken\\s+\\S+\\s+failed\\s+0\\s+2");
    assertThat(table.get(2)).matches("b-good\\s+\\S+\\s+published\\s+4\\s+0");
    assertThat(dir.resolve("exports/good/_SUCCESS"))
        .as("the job after the failed one ran")
        .exists();
    JsonNode written = new ObjectMapper().readTree(outcome.toFile());
    assertThat(written.path("exit_code").asInt()).isEqualTo(2);
    assertThat(written.path("error").asText())
        .as("the failed run's first line")
        .contains("cannot read");
    assertThat(written.path("runs"))
        .extracting(run -> run.path("job").asText() + " " + run.path("status").asText())
        .containsExactly("a-broken failed", "b-good published");
    assertThat(written.path("runs").get(0).path("exit_code").asInt()).isEqualTo(2);
    assertThat(written.path("runs").get(1).path("rows").asLong()).isEqualTo(4);
  }

  @Test
  void aRunThatFailsWithAnUndeclaredCheckedExceptionOrAnErrorEndsFailedInTheHistory() {
    Path job =
        Fixtures.write(
            dir,
            "crashing.conf",
            """
            name = crashing
            source { format = csv, path = ${lakeport.warehouse}/people.csv, options { header = true } }
            sink { format = json, path = ${lakeport.exports}/crashing }
            """);
    try {
      // as Spark's Scala code does: a checked exception no Java signature declares
      Failpoints.install(Failpoints.STAGED, () -> sneakyThrow(new Exception("analysis failed")));
      assertThat(lakeport("run", job.toString())).isEqualTo(1);
      Failpoints.install(
          Failpoints.STAGED,
          () -> {
            throw new StackOverflowError("deep plan");
          });
      assertThatThrownBy(() -> lakeport("run", job.toString()))
          .isInstanceOf(StackOverflowError.class);
    } finally {
      Failpoints.clear();
    }

    out.getBuffer().setLength(0);
    assertThat(lakeport("history", "--job", "crashing")).isZero();
    List<String> rows = out.toString().lines().skip(1).toList();
    assertThat(rows).hasSize(2).allMatch(row -> row.matches(".*crashing\\s+manual\\s+failed.*"));
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable e) throws T {
    throw (T) e;
  }

  @Test
  void demoRecordsItsRunLikeAnyRun() throws Exception {
    assertThat(lakeport("demo")).as(err.toString()).isZero();
    String runId =
        out.toString()
            .lines()
            .filter(l -> l.startsWith("job security-anomalies-daily run "))
            .map(l -> l.split(" ")[3].replace(":", ""))
            .findFirst()
            .orElseThrow();

    out.getBuffer().setLength(0);
    assertThat(lakeport("status", runId)).as(err.toString()).isZero();
    assertThat(out.toString()).contains(runId, "security-anomalies-daily", "succeeded", "manual");

    // the shipped join job, checked against the demo tables and run on them
    out.getBuffer().setLength(0);
    assertThat(lakeport("validate", "jobs/orders-with-customers.conf")).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo("ok jobs/orders-with-customers.conf (orders-with-customers)\n");
    out.getBuffer().setLength(0);
    assertThat(lakeport("run", "jobs/orders-with-customers.conf", "--param", "run_date=2026-11-15"))
        .as(err.toString())
        .isZero();
    Matcher joinRun = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]+").matcher(out.toString());
    assertThat(joinRun.find()).as(out.toString()).isTrue();
    out.getBuffer().setLength(0);
    assertThat(lakeport("status", joinRun.group())).as(err.toString()).isZero();
    // the history keeps what the run read of each input; the day's filter, written after the
    // join, reached the orders scan: it skipped the row groups of other days
    Matcher inputs =
        Pattern.compile(
                "inputs    orders: parquet "
                    + Pattern.quote(dir.resolve("warehouse/orders").toString())
                    + ", ([0-9,]+) rows read\n          customers: parquet "
                    + Pattern.quote(dir.resolve("warehouse/customers").toString())
                    + ", 2,000 rows read\n")
            .matcher(out.toString());
    assertThat(inputs.find()).as(out.toString()).isTrue();
    assertThat(Long.parseLong(inputs.group(1).replace(",", ""))).isBetween(1L, 299_999L);
    out.getBuffer().setLength(0);
    assertThat(lakeport("status", joinRun.group(), "-o", "json")).as(err.toString()).isZero();
    JsonNode status = new ObjectMapper().readTree(out.toString());
    assertThat(
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(Path.of("docs", "json", "status.schema.json")))
                .validate(status))
        .isEmpty();
    assertThat(status.path("inputs").findValuesAsText("name"))
        .containsExactly("orders", "customers");
    assertThat(status.path("inputs").get(1).path("rows_read").asLong()).isEqualTo(2_000);
    // the shipped fan-out job: one export per tenant, each holding only that tenant's rows
    out.getBuffer().setLength(0);
    assertThat(lakeport("run", "jobs/anomalies-per-tenant.conf", "--param", "run_date=2026-11-15"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString())
        .contains("anomalies-per-tenant tenant=acme ", "anomalies-per-tenant tenant=initech ");
    for (String tenant : List.of("acme", "globex", "initech")) {
      Dataset<Row> exported =
          TestSpark.session()
              .read()
              .option("header", true)
              .csv(
                  dir.resolve("exports/tenants/" + tenant + "/anomalies/day=2026-11-15")
                      .toString());
      Dataset<Row> expected =
          TestSpark.session()
              .read()
              .format("delta")
              .load(dir.resolve("warehouse/anomalies").toString())
              .where(
                  "tenant = '"
                      + tenant
                      + "' AND detected_at >= '2026-11-15' AND detected_at < '2026-11-16'"
                      + " AND severity IN ('high', 'critical')");
      assertThat(exported.count()).as(tenant).isPositive().isEqualTo(expected.count());
      assertThat(exported.select("event_id").except(expected.select("event_id")).count()).isZero();
    }
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      sql.execute("SET TimeZone = 'UTC'");
      String warehouse = dir.resolve("warehouse").toString();
      List<String> expected =
          rows(
              sql,
              "SELECT o.order_id, epoch_ms(o.order_ts), o.customer, c.name, c.segment, o.country, o.amount"
                  + " FROM read_parquet('"
                  + warehouse
                  + "/orders/*.parquet') o LEFT JOIN read_parquet('"
                  + warehouse
                  + "/customers/*.parquet') c USING (customer)"
                  + " WHERE o.order_ts >= TIMESTAMPTZ '2026-11-15 00:00:00+00'"
                  + " AND o.order_ts < TIMESTAMPTZ '2026-11-16 00:00:00+00'"
                  + " AND o.status IN ('paid', 'shipped') ORDER BY 1");
      assertThat(expected).hasSizeGreaterThan(1000);
      assertThat(
              rows(
                  sql,
                  "SELECT order_id, epoch_ms(order_ts), customer, customer_full_name, customer_segment,"
                      + " country, amount FROM read_parquet('"
                      + dir.resolve("exports/orders/with-customers/day=2026-11-15")
                      + "/*.parquet') ORDER BY 1"))
          .containsExactlyElementsOf(expected);
    }
  }

  private static List<String> rows(Statement sql, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet r = sql.executeQuery(query)) {
      while (r.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= r.getMetaData().getColumnCount(); c++) {
          row.append(r.getObject(c)).append('|');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private int lakeport(String... args) {
    return Cli.lakeport(site, out, err, args);
  }
}
