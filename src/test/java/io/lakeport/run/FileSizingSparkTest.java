package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sink.target-file-size}: rows whose CSV form is exactly 64 bytes, so the size of every file
 * follows from its rows and the test can hold the export to the target byte for byte.
 */
class FileSizingSparkTest {
  private static final int ROW_BYTES = 64;
  private static final long TARGET = 256 * 1024;
  private static final long ROWS = 40_000;
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @Test
  void filesStayUnderTheTargetOnceARunHasMeasuredTheRows() throws Exception {
    String source = dir.resolve("source").toString();
    // key: 12 characters, pad: 50, a comma and a newline: 64 bytes a row; part is the folder.
    spark
        .range(ROWS)
        .select(
            functions.lpad(functions.col("id").cast("string"), 12, "0").as("key"),
            functions.lit("x".repeat(50)).as("pad"),
            functions.col("id").mod(2).as("part"))
        .write()
        .parquet(source);
    Path out = dir.resolve("out");
    String hocon =
        """
        name = sized
        source { format = parquet, path = "%s" }
        sink { format = csv, path = "%s", partition-by = [part], mode = overwrite, target-file-size = 256KiB }
        """
            .formatted(source, out);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());

    Manifest first = runner.run(Fixtures.job(dir, hocon, Map.of())).manifest();
    Manifest second = runner.run(Fixtures.job(dir, hocon, Map.of())).manifest();

    assertThat(first.fileSizing().basis()).isEqualTo("schema");
    assertThat(first.files())
        .allSatisfy(
            f -> assertThat(f.rows()).isLessThanOrEqualTo(first.fileSizing().recordsPerFile()));
    assertThat(second.fileSizing())
        .isEqualTo(new Manifest.FileSizing(TARGET, ROW_BYTES, "previous-run", TARGET / ROW_BYTES));
    assertThat(second.totals().rows()).isEqualTo(ROWS);
    assertThat(second.files())
        .allSatisfy(
            f -> {
              assertThat(f.bytes()).isEqualTo(f.rows() * ROW_BYTES).isLessThanOrEqualTo(TARGET);
            });
    long ideal = (ROWS * ROW_BYTES + TARGET - 1) / TARGET;
    assertThat((long) second.files().size())
        .as("no small-file explosion")
        .isBetween(ideal, 3 * ideal);
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.filter(p -> p.toString().endsWith(".csv")).count())
          .isEqualTo(second.files().size());
    }
    assertThat(spark.read().csv(out.toString()).distinct().count())
        .as("every row once")
        .isEqualTo(ROWS);
  }
}
