package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.manifest.Manifest;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental exports over three consecutive runs with changes in between: every changed row is
 * exported exactly once (counted per id and version against the changes the test made), and a run
 * that fails does not move the starting point.
 */
class IncrementalSparkTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("version", DataTypes.IntegerType)
          .add("updated_at", DataTypes.TimestampType);
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @Test
  void watermarkRunsExportEachChangedRowOnce() throws Exception {
    Path source = dir.resolve("rows");
    Path out = dir.resolve("out");
    Map<Long, Integer> state = new HashMap<>();
    List<String> changes = new ArrayList<>();
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    String job =
        """
        name = watermarked
        incremental { mode = watermark, column = updated_at }
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s", mode = append, on-empty = skip }
        """
            .formatted(source, out);

    change(state, changes, 0, 100, 0); // 100 new rows
    write(source, state);
    Manifest first = runner.run(Fixtures.job(dir, job, Map.of())).manifest();
    change(state, changes, 0, 30, 1); // 30 updated
    change(state, changes, 100, 120, 1); // 20 new
    write(source, state);
    Manifest second = runner.run(Fixtures.job(dir, job, Map.of())).manifest();
    RunResult nothing = runner.run(Fixtures.job(dir, job, Map.of()));
    change(state, changes, 10, 15, 2); // 5 updated again
    write(source, state);
    Manifest third = runner.run(Fixtures.job(dir, job, Map.of())).manifest();

    assertThat(first.totals().rows()).isEqualTo(100);
    assertThat(second.totals().rows()).isEqualTo(50);
    assertThat(nothing.status()).isEqualTo(RunResult.Status.SKIPPED);
    assertThat(third.totals().rows()).isEqualTo(5);
    assertThat(second.increment().after()).isEqualTo(first.increment().upTo());
    assertThat(third.increment().after()).isEqualTo(second.increment().upTo());
    List<String> exported =
        spark.read().parquet(out.toString()).collectAsList().stream()
            .map(r -> r.getLong(0) + "@" + r.getInt(1))
            .sorted()
            .toList();
    assertThat(exported)
        .as("each change exactly once")
        .isEqualTo(changes.stream().sorted().toList());
  }

  @Test
  void changeFeedRunsExportEachChangeOnce() throws Exception {
    String table = dir.resolve("table").toString();
    spark
        .range(50)
        .select(functions.col("id"), functions.lit(0).as("version"))
        .write()
        .format("delta")
        .option("delta.enableChangeDataFeed", "true")
        .save(table);
    Path out = dir.resolve("changes");
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    String job =
        """
        name = changes
        incremental { mode = change-feed }
        source { format = delta, path = "%s" }
        sink { format = parquet, path = "%s", mode = append, on-empty = skip }
        """
            .formatted(table, out);

    Manifest snapshot = runner.run(Fixtures.job(dir, job, Map.of())).manifest();
    spark.sql("UPDATE delta.`" + table + "` SET version = 1 WHERE id < 10");
    spark
        .range(50, 60)
        .select(functions.col("id"), functions.lit(1).as("version"))
        .write()
        .format("delta")
        .mode("append")
        .save(table);
    Manifest second = runner.run(Fixtures.job(dir, job, Map.of())).manifest();
    spark.sql("DELETE FROM delta.`" + table + "` WHERE id = 55");
    spark.sql("UPDATE delta.`" + table + "` SET version = 2 WHERE id = 3");
    Manifest third = runner.run(Fixtures.job(dir, job, Map.of())).manifest();

    assertThat(snapshot.totals().rows()).isEqualTo(50);
    assertThat(second.totals().rows()).isEqualTo(20);
    assertThat(third.totals().rows()).isEqualTo(2);
    assertThat(second.increment().after()).isEqualTo(snapshot.increment().upTo());
    assertThat(third.source()).containsEntry("version", Long.parseLong(third.increment().upTo()));
    Map<String, Long> byChange =
        spark
            .read()
            .parquet(out.toString())
            .groupBy("_change_type")
            .count()
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(byChange)
        .containsOnly(
            Map.entry("insert", 60L), Map.entry("update_postimage", 11L), Map.entry("delete", 1L));
    assertThat(
            spark
                .read()
                .parquet(out.toString())
                .select("id", "version", "_change_type")
                .distinct()
                .count())
        .as("no change twice")
        .isEqualTo(72);
  }

  /** Sets rows [from, to) to {@code version}, stamped one minute later than any change before. */
  private static void change(
      Map<Long, Integer> state, List<String> changes, long from, long to, int version) {
    for (long id = from; id < to; id++) {
      state.put(id, version);
      changes.add(id + "@" + version);
    }
  }

  private void write(Path source, Map<Long, Integer> state) {
    List<Row> rows =
        state.entrySet().stream()
            .map(
                e ->
                    RowFactory.create(
                        e.getKey(),
                        e.getValue(),
                        Timestamp.from(T0.plusSeconds(3600L * e.getValue() + e.getKey()))))
            .toList();
    spark.createDataFrame(rows, SCHEMA).write().mode("overwrite").parquet(source.toString());
  }
}
