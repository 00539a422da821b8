package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.fault.Failpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL at each point of its life, then run again: the export must hold
 * exactly the rows of the source (counted independently, per partition), once each, and nothing
 * of the killed attempt. The killed run is a real {@code lakeport run} in a child JVM that stops
 * at the named failpoint and is then killed with {@link Process#destroyForcibly()} (SIGKILL).
 */
class CrashRecoverySparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @ParameterizedTest(name = "killed at {0}")
  @ValueSource(strings = {Failpoints.TASK_COMMITTED, Failpoints.STAGED, Failpoints.PUBLISHING, Failpoints.PUBLISHED})
  void aRunKilledAnywhereThenRunAgainLeavesExactlyTheExpectedRows(String point) throws Exception {
    Path source = dir.resolve("source");
    Path out = dir.resolve("out");
    writeSource(source, 300);
    Path job = Fixtures.write(dir, "crash.conf", """
        name = crash-test
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s", partition-by = [day], max-records-per-file = 20 }
        """.formatted(source, out));
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    runner.run(Fixtures.job(dir, Files.readString(job), Map.of()));
    writeSource(source, 450);

    ChildLakeport.killAt(point, dir, "run", job.toString(), "--master", "local[2]");
    Manifest again = runner.run(Fixtures.job(dir, Files.readString(job), Map.of())).manifest();

    Map<String, Long> expected = perDay(spark.read().parquet(source.toString()));
    Map<String, Long> exported = perDay(spark.read().parquet(out.toString()));
    assertThat(exported).isEqualTo(expected);
    assertThat(spark.read().parquet(out.toString()).select("id").distinct().count()).as("no duplicates").isEqualTo(450);
    assertThat(again.totals().rows()).isEqualTo(450);
    PublishSparkTest.assertNoLeftovers(out);
  }

  private void writeSource(Path path, long rows) {
    spark.range(rows).select(functions.col("id"),
            functions.date_add(functions.lit(java.sql.Date.valueOf("2026-10-01")), functions.col("id").mod(3).cast("int"))
                .as("day"))
        .write().mode("overwrite").parquet(path.toString());
  }

  private static Map<String, Long> perDay(org.apache.spark.sql.Dataset<Row> rows) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : rows.groupBy("day").count().collectAsList()) {
      counts.put(String.valueOf(r.get(0)), r.getLong(1));
    }
    return counts;
  }
}
