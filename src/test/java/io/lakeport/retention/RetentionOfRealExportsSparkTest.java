package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobSpec;
import io.lakeport.run.ExportRunner;
import io.lakeport.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention over exports Spark really wrote (partition folders, Hadoop's checksum files, {@code
 * _SUCCESS}, manifests from real runs): keeping the last one leaves exactly its partition and
 * manifest, and no empty folders or stray checksums.
 */
class RetentionOfRealExportsSparkTest {
  @TempDir Path dir;

  @Test
  void keepsTheLastExportOfADailyJobAndNothingElse() throws Exception {
    SparkSession spark = TestSpark.session();
    Path source = dir.resolve("events");
    spark
        .sql("SELECT id, date_add(DATE'2026-11-20', CAST(id % 3 AS INT)) AS day FROM range(0, 90)")
        .write()
        .parquet(source.toString());
    Path out = dir.resolve("exports/events");
    String hocon =
        """
        name = events
        time-zone = UTC
        source { format = parquet, path = "%s" }
        plan.where = { column = day, eq = ${params.run_date} }
        sink { format = csv, path = "%s", partition-by = [day] }
        retention.keep.last = 1
        """
            .formatted(source, out);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    List<RunResult> results = new ArrayList<>();
    for (String day : List.of("2026-11-20", "2026-11-21", "2026-11-22")) {
      results.add(runner.run(Fixtures.job(dir, hocon, Map.of("run_date", day))));
    }
    JobSpec job = Fixtures.job(dir, hocon, Map.of("run_date", "2026-11-22"));
    // two days on, past the default floor (lakeport.retention.minimum-days = 1)
    Retention retention =
        new Retention(
            spark.sparkContext().hadoopConfiguration(),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(2)),
            () -> spark);

    Retention.Result result = retention.apply(job, Map.of());

    assertThat(result.failures()).isEmpty();
    assertThat(result.exportsRemoved()).isEqualTo(2);
    String newest = results.get(2).manifest().runId();
    try (Stream<Path> left = Files.walk(out)) {
      List<String> files =
          left.filter(Files::isRegularFile)
              .map(p -> out.relativize(p).toString())
              .sorted()
              .toList();
      List<String> expected = new ArrayList<>();
      results.get(2).manifest().files().forEach(f -> expected.add(f.path()));
      assertThat(files)
          .filteredOn(
              f -> !f.startsWith("_lakeport/") && !f.contains(".crc") && !f.equals("_SUCCESS"))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(files)
          .filteredOn(f -> f.startsWith("_lakeport/manifest-"))
          .containsExactly("_lakeport/manifest-" + newest + ".json");
      assertThat(files)
          .filteredOn(
              f -> f.endsWith(".crc") && !f.startsWith("_lakeport/") && !f.startsWith("._SUCCESS"))
          .allSatisfy(
              crc ->
                  assertThat(files)
                      .anyMatch(f -> crc.endsWith("." + Path.of(f).getFileName() + ".crc")));
    }
    try (Stream<Path> folders = Files.list(out)) {
      assertThat(folders.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("day=")))
          .containsExactly("day=2026-11-22");
    }
  }
}
