package io.lakeport.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.run.ExportRunner;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta sinks: append, overwrite of the partitions written, replace-where over a range, table
 * properties, and the manifest recording the version committed and exactly the files it added.
 */
class DeltaSinkSparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;
  private String source;
  private String table;

  @BeforeEach
  void source() {
    source = dir.resolve("source").toString();
    table = dir.resolve("table").toString();
    spark
        .range(80)
        .select(
            functions.col("id"),
            functions
                .date_add(
                    functions.lit(Date.valueOf("2026-11-01")),
                    functions.col("id").mod(8).cast("int"))
                .as("day"),
            functions.col("id").multiply(10).as("amount"))
        .write()
        .parquet(source);
  }

  @Test
  void appendsReplacesPartitionsAndRangesAndRecordsTheVersion() {
    Manifest first = run("append", "day <= date'2026-11-04'", "");
    Manifest second = run("append", "day > date'2026-11-04'", "");
    assertThat(delta().count()).isEqualTo(80);
    assertThat(first.sink().deltaVersion()).isZero();
    assertThat(second.sink().deltaVersion()).isEqualTo(1L);

    Manifest partitions = run("overwrite-partitions", "day = date'2026-11-02' AND id < 40", "");
    assertThat(partitions.totals().rows()).isEqualTo(5);
    assertThat(delta().where("day = date'2026-11-02'").count())
        .as("the partition is replaced")
        .isEqualTo(5);
    assertThat(delta().count()).as("other partitions stay").isEqualTo(75);

    Manifest range =
        run("overwrite", "day >= :from AND id >= 70", ", replace-where = \"day >= :from\"");
    assertThat(range.totals().rows()).as("ids 70-79 on days 6 to 8").isEqualTo(5);
    assertThat(delta().where("day >= date'2026-11-06'").count()).isEqualTo(5);
    assertThat(delta().count())
        .as("the 30 rows of days 6 to 8 replaced by 5")
        .isEqualTo(75 - 30 + 5);
    assertThat(range.sink().deltaVersion())
        .as(
            () ->
                DeltaTable.forPath(spark, table)
                    .history()
                    .select("version", "operation", "operationParameters")
                    .collectAsList()
                    .toString())
        .isEqualTo(3L);
    assertThat(range.files())
        .hasSize(3)
        .extracting(OutputFile::rows)
        .containsExactlyInAnyOrder(1L, 2L, 2L);
    assertThat(range.files())
        .allSatisfy(f -> assertThat(f.path()).startsWith("day=2026-11-0").endsWith(".parquet"));
  }

  @Test
  void setsTablePropertiesOnlyWhenTheyChange() {
    String properties =
        ", table-properties { \"delta.appendOnly\" = \"false\", \"lakeport.owner\" = \"exports-team\" }";
    run("append", "id < 10", properties);
    run("append", "id >= 10 AND id < 20", properties);

    Map<String, String> actual =
        DeltaTable.forPath(spark, table).detail().select("properties").head().getJavaMap(0);
    assertThat(actual)
        .containsEntry("lakeport.owner", "exports-team")
        .containsEntry("delta.appendOnly", "false");
    assertThat(
            DeltaTable.forPath(spark, table)
                .history()
                .where("operation = 'SET TBLPROPERTIES'")
                .count())
        .as("the second run changes nothing, so it adds no commit")
        .isEqualTo(1);
  }

  private Dataset<Row> delta() {
    return spark.read().format("delta").load(table);
  }

  private Manifest run(String mode, String where, String extra) {
    return new ExportRunner(spark, Clock.systemUTC())
        .run(
            Fixtures.job(
                dir,
                """
        name = delta-sink
        params { from = "2026-11-06" }
        param-types { from = date }
        source { format = parquet, path = "%s" }
        plan.where = "%s"
        sink { format = delta, path = "%s", partition-by = [day], mode = %s%s }
        """
                    .formatted(source, where, table, mode, extra),
                Map.of()))
        .manifest();
  }
}
