package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Job mistakes that only the source's schema reveals, one file each in {@code
 * src/test/resources/jobs/broken-schema} with its exact messages in {@code # expect:} lines. The
 * sources are a JSON folder read with the job's schema (no data needed) and a Parquet file written
 * once, in the site's warehouse. {@code validate} and {@code run} must both report exactly those
 * problems, exit with 2, print no stack trace, and the run must write nothing.
 */
class BrokenSchemaJobsSparkTest {
  private static final Path DIR = Path.of("src/test/resources/jobs/broken-schema");

  @TempDir static Path dir;
  private static Path site;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void siteWithSources() throws IOException {
    SparkSession spark = TestSpark.session();
    Path warehouse = Files.createDirectories(dir.resolve("warehouse"));
    Fixtures.write(
        warehouse.resolve("events.json"),
        "part-0.json",
        "{\"id\": 1, \"severity\": \"high\", \"score\": 0.5, \"ip\": \"10.0.0.1\"}\n");
    spark
        .sql("select 1L as id, 'high' as severity, 0.5d as score, current_date() as day")
        .write()
        .parquet(warehouse.resolve("events.parquet").toString());
    site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport { warehouse = \""
                + warehouse
                + "\", exports = \""
                + dir.resolve("exports")
                + "\", history.url = \"jdbc:sqlite:"
                + dir.resolve("history/lakeport.db")
                + "\" }\n");
  }

  static List<Path> fixtures() {
    return Fixtures.confFiles(DIR);
  }

  @Test
  void theCorpusHoldsAtLeastFifteenCases() {
    assertThat(fixtures()).hasSizeGreaterThanOrEqualTo(15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void validateReportsEveryProblemWithItsLine(Path fixture) throws IOException {
    List<String> expected = Fixtures.expectedProblems(fixture, Files.readAllLines(fixture));

    int code = Cli.lakeport(site, out, err, "validate", fixture.toString());

    assertThat(expected).as("%s has # expect: lines", fixture).isNotEmpty();
    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactlyElementsOf(expected);
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void runReportsTheSameProblemsAndWritesNothing(Path fixture) throws IOException {
    List<String> expected = Fixtures.expectedProblems(fixture, Files.readAllLines(fixture));

    int code = Cli.lakeport(site, out, err, "run", fixture.toString());

    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactlyElementsOf(expected);
    assertThat(dir.resolve("exports/broken")).doesNotExist();
  }

  @Test
  void aJobThatFitsItsSourceIsOkWithoutWarnings() {
    Path job =
        Fixtures.write(
            dir,
            "fits.conf",
            """
            name = fits
            source { format = parquet, path = ${lakeport.warehouse}/events.parquet }
            plan {
              where = { column = score, gt = 0.1 }
              aggregate { group-by = [severity], time-bucket { column = day, every = week } }
              aggregate.metrics { n = count, top = "max(score)" }
              select { rename { n = events }, order = [events] }
            }
            sink {
              format = parquet
              path = ${lakeport.exports}/fits
              partition-by = [severity]
            }
            """);

    int code = Cli.lakeport(site, out, err, "validate", job.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("ok " + Fixtures.displayed(job) + " (fits)\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void offlineValidationReadsNoSource() {
    Path fixture = DIR.resolve("where-unknown-column.conf");

    int code = Cli.lakeport(site, out, err, "validate", "--offline", fixture.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("ok " + fixture + " (broken)\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aSourceThatDoesNotExistIsAWarningNotAFailure() {
    Path job =
        Fixtures.write(
            dir,
            "missing-source.conf",
            """
            name = missing-source
            source { format = parquet, path = ${lakeport.warehouse}/not-there }
            sink { format = parquet, path = ${lakeport.exports}/missing-source }
            """);

    int code = Cli.lakeport(site, out, err, "validate", job.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("ok " + Fixtures.displayed(job) + " (missing-source)\n");
    assertThat(err.toString())
        .isEqualTo(
            "warning: "
                + Fixtures.displayed(job)
                + ":2: source: not checked against the source's schema: "
                + dir.resolve("warehouse/not-there")
                + " does not exist.\n");
  }

  @Test
  void aJsonSourceWithoutSchemaIsNotReadAtValidate() {
    Path job =
        Fixtures.write(
            dir,
            "json-without-schema.conf",
            """
            name = json-without-schema
            source { format = json, path = ${lakeport.warehouse}/events.json }
            plan.where = { column = whatever, eq = 1 }
            sink { format = parquet, path = ${lakeport.exports}/json-without-schema }
            """);

    int code = Cli.lakeport(site, out, err, "validate", job.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString())
        .isEqualTo(
            "warning: "
                + Fixtures.displayed(job)
                + ":2: source: not checked against the source's schema: a JSON source without"
                + " source.schema is read whole to find its columns; give source.schema to have it"
                + " checked.\n");
  }
}
