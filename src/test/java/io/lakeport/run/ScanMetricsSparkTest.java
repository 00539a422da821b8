package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run reads what a hand-written program would: its filters reach the scan, so only the folders of
 * the days it asks for are read, and the manifest's rows read are what the scan read.
 */
class ScanMetricsSparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @Test
  void aDailyRunReadsOnlyItsDaysFolderAndCountsWhatItRead() {
    Path source = dir.resolve("events");
    spark
        .range(0, 3000)
        .select(
            functions.col("id"),
            functions
                .concat(functions.lit("2026-11-0"), functions.col("id").mod(3).plus(1))
                .as("day"))
        .write()
        .partitionBy("day")
        .parquet(source.toString());
    long inFolder = spark.read().parquet(source.toString()).where("day = '2026-11-02'").count();

    RunResult result =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                Fixtures.job(
                    dir,
                    """
        name = pruned
        params { run_date = null }
        source { format = parquet, path = "%s" }
        plan.where = { and = [ { column = day, eq = ${params.run_date} }, { column = id, ne = 4 } ] }
        sink { format = parquet, path = "%s" }
        """
                        .formatted(source, dir.resolve("out")),
                    Map.of("run_date", "2026-11-02")));

    assertThat(inFolder).isEqualTo(1000);
    assertThat(result.manifest().totals().rows()).isEqualTo(999);
    assertThat(result.manifest().totals().rowsRead())
        .as("the rows of day=2026-11-02 only, not all 3000")
        .isEqualTo(inFolder);
  }
}
