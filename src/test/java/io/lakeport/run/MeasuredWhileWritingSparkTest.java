package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written through Lakeport's commit protocol are measured by the write tasks themselves,
 * before they commit, so no second Spark job reads the export back; the manifest's figures are
 * checked here against the published files: SHA-256 computed over their bytes by the test, rows
 * counted by Spark per partition of the source. Values with quotes, commas and line breaks make the
 * CSV record count differ from its line count.
 */
class MeasuredWhileWritingSparkTest {
  private final SparkSession spark = TestSpark.session();
  private final List<String> jobs = new CopyOnWriteArrayList<>();
  private final SparkListener listener =
      new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart start) {
          jobs.add(String.valueOf(start.properties().getProperty("spark.job.description")));
        }
      };

  @TempDir Path dir;

  @BeforeEach
  void listen() {
    spark.sparkContext().addSparkListener(listener);
  }

  @AfterEach
  void stopListening() {
    spark.sparkContext().removeSparkListener(listener);
  }

  @Test
  void aPartitionedCsvExportIsMeasuredByItsWriteTasks() throws Exception {
    Path source = dir.resolve("source");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String note =
          switch (i % 4) {
            case 0 -> "plain";
            case 1 -> "with \"quotes\", and a comma";
            case 2 -> "two\nlines";
            default -> "three\nlines, \"quoted\"\nhere";
          };
      rows.add(RowFactory.create(i, "d" + (i % 3), note));
    }
    spark
        .createDataFrame(
            rows, new StructType().add("id", "int").add("day", "string").add("note", "string"))
        .write()
        .parquet(source.toString());
    Path out = dir.resolve("out");

    RunResult result =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                Fixtures.job(
                    dir,
                    """
        name = measured
        source { format = parquet, path = "%s" }
        sink { format = csv, path = "%s", partition-by = [day], compression = gzip, max-records-per-file = 40,
               options { header = true } }
        """
                        .formatted(source, out),
                    Map.of()));

    Manifest manifest = result.manifest();
    spark.sparkContext().listenerBus().waitUntilEmpty();
    assertThat(jobs)
        .as("Spark jobs of the run")
        .noneMatch(description -> description.contains("measure files"));
    Map<String, Long> expected =
        spark.read().parquet(source.toString()).groupBy("day").count().collectAsList().stream()
            .collect(Collectors.toMap(r -> "day=" + r.getString(0), r -> r.getLong(1)));
    Map<String, Long> measured =
        manifest.files().stream()
            .collect(
                Collectors.groupingBy(
                    f -> f.path().substring(0, f.path().indexOf('/')),
                    Collectors.summingLong(OutputFile::rows)));
    assertThat(measured).isEqualTo(expected);
    assertThat(manifest.files())
        .hasSizeGreaterThanOrEqualTo(9)
        .allSatisfy(
            file -> {
              byte[] bytes = Files.readAllBytes(out.resolve(file.path()));
              assertThat(file.bytes()).isEqualTo(bytes.length);
              assertThat(file.sha256())
                  .isEqualTo(
                      HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
              assertThat(file.rows()).isBetween(1L, 40L);
              assertThat(file.partition()).containsEntry("day", file.path().substring(4, 6));
            });
    try (var listed = Files.walk(out)) {
      assertThat(
              listed
                  .filter(p -> p.toString().endsWith(".csv.gz"))
                  .map(p -> out.relativize(p).toString()))
          .containsExactlyInAnyOrderElementsOf(
              manifest.files().stream().map(OutputFile::path).toList());
    }
  }

  @Test
  void aDeltaExportIsMeasuredByAJobOfItsOwn() throws Exception {
    Path out = dir.resolve("delta");
    spark.range(50).write().parquet(dir.resolve("ids").toString());

    RunResult result =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                Fixtures.job(
                    dir,
                    """
        name = measured-delta
        source { format = parquet, path = "%s" }
        sink { format = delta, path = "%s", mode = append }
        """
                        .formatted(dir.resolve("ids"), out),
                    Map.of()));

    spark.sparkContext().listenerBus().waitUntilEmpty();
    assertThat(jobs)
        .as("Delta's committer measures nothing, so the runner does")
        .anyMatch(d -> d.contains("measure files"));
    assertThat(result.manifest().totals().rows()).isEqualTo(50);
    assertThat(result.manifest().files())
        .allSatisfy(
            file ->
                assertThat(file.sha256())
                    .isEqualTo(
                        HexFormat.of()
                            .formatHex(
                                MessageDigest.getInstance("SHA-256")
                                    .digest(Files.readAllBytes(out.resolve(file.path()))))));
  }
}
