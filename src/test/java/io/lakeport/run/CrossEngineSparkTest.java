package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports read by another engine: DuckDB (over JDBC, in this JVM) reads the Parquet, CSV and JSON
 * files Lakeport wrote, and every row matches the rows the source was built from, in Java.
 */
class CrossEngineSparkTest {
  private static final int ROWS = 200;
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;
  private String source;

  @BeforeEach
  void source() {
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType, false)
            .add("name", DataTypes.StringType)
            .add("score", DataTypes.DoubleType)
            .add("day", DataTypes.DateType)
            .add("seen_at", DataTypes.TimestampType);
    List<Row> rows = new ArrayList<>();
    for (Expected e : expected()) {
      rows.add(
          RowFactory.create(e.id, e.name, e.score, Date.valueOf(e.day), Timestamp.from(e.seenAt)));
    }
    source = dir.resolve("source").toString();
    spark.createDataFrame(rows, schema).write().parquet(source);
  }

  @Test
  void duckDbReadsParquetCsvAndJsonExportsRowForRow() throws Exception {
    export("parquet", "partition-by = [day], compression = zstd");
    export("csv", "compression = gzip, options { header = true }");
    export("json", "compression = zstd");

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      sql.execute("SET TimeZone = 'UTC'");
      assertThat(
              read(
                  sql,
                  "read_parquet('"
                      + dir.resolve("parquet")
                      + "/*/*.parquet', hive_partitioning = true)"))
          .as("parquet")
          .containsExactlyElementsOf(expected());
      assertThat(read(sql, "read_csv('" + dir.resolve("csv") + "/*.csv.gz', header = true)"))
          .as("csv")
          .containsExactlyElementsOf(expected());
      assertThat(
              read(
                  sql,
                  "read_json('"
                      + dir.resolve("json")
                      + "/*.json.zst', format = 'newline_delimited')"))
          .as("json")
          .containsExactlyElementsOf(expected());
    }
  }

  private void export(String format, String sinkOptions) {
    new ExportRunner(spark, Clock.systemUTC())
        .run(
            Fixtures.job(
                dir,
                """
        name = cross-%s
        source { format = parquet, path = "%s" }
        sink { format = %s, path = "%s", %s }
        """
                    .formatted(format, source, format, dir.resolve(format), sinkOptions),
                Map.of()));
  }

  private static List<Expected> read(Statement sql, String table) throws Exception {
    List<Expected> rows = new ArrayList<>();
    try (ResultSet r =
        sql.executeQuery(
            "SELECT CAST(id AS BIGINT), CAST(name AS VARCHAR), CAST(score AS DOUBLE), "
                + "CAST(day AS DATE), epoch_us(CAST(seen_at AS TIMESTAMPTZ)) FROM "
                + table
                + " ORDER BY id")) {
      while (r.next()) {
        double score = r.getDouble(3);
        Double nullableScore = r.wasNull() ? null : score;
        rows.add(
            new Expected(
                r.getLong(1),
                r.getString(2),
                nullableScore,
                r.getObject(4, LocalDate.class),
                Instant.EPOCH.plusNanos(r.getLong(5) * 1000)));
      }
    }
    return rows;
  }

  private static List<Expected> expected() {
    List<Expected> rows = new ArrayList<>();
    for (long i = 0; i < ROWS; i++) {
      String name =
          i % 10 == 0 ? null : i % 7 == 0 ? "comma, \"quote\" and\nnewline " + i : "name-" + i;
      Double score = i % 9 == 0 ? null : i / 8.0;
      rows.add(
          new Expected(
              i,
              name,
              score,
              LocalDate.parse("2026-10-25").plusDays(i % 4),
              Instant.parse("2026-10-31T12:00:00Z").plusSeconds(i * 3_607)));
    }
    return rows;
  }

  private record Expected(long id, String name, Double score, LocalDate day, Instant seenAt) {}
}
