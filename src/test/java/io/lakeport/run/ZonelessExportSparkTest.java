package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zone-less timestamps end to end: Spark writes wall-clock sensor readings as {@code TIMESTAMP_NTZ}
 * Parquet ({@code isAdjustedToUTC=false}) around both Berlin daylight-saving changes of 2026; real
 * export runs in a job zone with its own DST filter, bucket and partition them; DuckDB computes the
 * same from the same source files and reads the exports, which must match row for row and still be
 * zone-less.
 */
class ZonelessExportSparkTest {
  private static final List<String> SENSORS = List.of("north", "south");
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;
  private Path source;

  @BeforeEach
  void source() {
    StructType schema =
        new StructType()
            .add("sensor", DataTypes.StringType, false)
            .add("ts", DataTypes.TimestampNTZType)
            .add("value", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    long i = 0;
    for (String first : List.of("2026-03-28", "2026-10-24")) {
      LocalDateTime start = LocalDate.parse(first).atStartOfDay();
      // every 10 minutes and a few seconds over three days, so 02:00-03:00 holds six readings
      for (LocalDateTime t = start; t.isBefore(start.plusDays(3)); t = t.plusMinutes(10)) {
        for (String sensor : SENSORS) {
          rows.add(RowFactory.create(sensor, t.plusSeconds(i % 7), i * 3 % 101));
          i++;
        }
      }
    }
    source = dir.resolve("source");
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(source.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Europe/Berlin", "America/New_York"})
  void halfHourBucketsOfTheDstDaysMatchDuckDb(String zone) throws Exception {
    Path sink = dir.resolve("buckets");
    export(
        zone,
        sink,
        """
        derive { day = "to_date(ts)" }
        where { or = [
          { column = ts, eq = ${params.spring}, unit = day }
          { column = ts, eq = ${params.autumn}, unit = day }
        ] }
        aggregate {
          group-by = [day, sensor]
          time-bucket { column = ts, every = 30 minutes, as = slot }
          metrics { readings = "count", total = "sum(value)", first = "min(ts)" }
        }
        """,
        "parquet",
        "partition-by = [day]");

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      // DuckDB's own zone must not matter either: zone-less values have none
      sql.execute("SET TimeZone = 'Asia/Tokyo'");
      List<String> expected =
          rows(
              sql,
              "SELECT CAST(ts AS DATE) AS day, sensor, time_bucket(INTERVAL 30 MINUTE, ts) AS slot,"
                  + " count(*), sum(value), min(ts) FROM read_parquet('"
                  + source
                  + "/*.parquet') WHERE CAST(ts AS DATE) IN (DATE '2026-03-29', DATE '2026-10-25')"
                  + " GROUP BY ALL ORDER BY ALL");
      List<String> actual =
          rows(
              sql,
              "SELECT CAST(day AS DATE), sensor, slot, readings, total, first FROM read_parquet('"
                  + sink
                  + "/day=*/*.parquet', hive_partitioning = true) ORDER BY ALL");

      // 48 half hours of each sensor on each day: the wall clock has no 23- or 25-hour days
      assertThat(expected).hasSize(2 * 2 * 48);
      assertThat(actual).isEqualTo(expected);
      assertThat(types(sql, sink + "/day=*/*.parquet"))
          .containsEntry("slot", "TIMESTAMP")
          .containsEntry("first", "TIMESTAMP");
      try (Stream<Path> folders = Files.list(sink)) {
        assertThat(folders.map(p -> p.getFileName().toString()))
            .contains("day=2026-03-29", "day=2026-10-25");
      }
    }
  }

  @Test
  void rowsOfTheGapAndOverlapHoursAreExportedAsTheyWere() throws Exception {
    Path sink = dir.resolve("rows");
    export(
        "Europe/Berlin",
        sink,
        """
        standardize { ts { to = timestamp, from = iso } }
        derive { hour = "hour(ts)" }
        where { or = [
          { column = ts, eq = "2026-03-29T02:00", unit = hour }
          { column = ts, eq = "2026-10-25T02:00", unit = hour }
        ] }
        """,
        "parquet",
        "partition-by = [hour]");

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      List<String> expected =
          rows(
              sql,
              "SELECT sensor, ts, value, hour(ts) FROM read_parquet('"
                  + source
                  + "/*.parquet') WHERE date_trunc('hour', ts) IN"
                  + " (TIMESTAMP '2026-03-29 02:00', TIMESTAMP '2026-10-25 02:00') ORDER BY ALL");
      List<String> actual =
          rows(
              sql,
              "SELECT sensor, ts, value, CAST(hour AS INTEGER) FROM read_parquet('"
                  + sink
                  + "/hour=*/*.parquet', hive_partitioning = true) ORDER BY ALL");

      assertThat(expected).hasSize(2 * 6 * SENSORS.size());
      assertThat(actual).isEqualTo(expected);
      assertThat(types(sql, sink + "/hour=*/*.parquet")).containsEntry("ts", "TIMESTAMP");
    }
  }

  @Test
  void textAndAvroExportsKeepZonelessValuesZoneless() throws Exception {
    String plan = "where { column = ts, eq = \"2026-03-29T02:00\", unit = hour }";
    export("America/New_York", dir.resolve("json"), plan, "json", "compression = none");
    export("America/New_York", dir.resolve("avro"), plan, "avro", "compression = none");
    export(
        "America/New_York",
        dir.resolve("csv"),
        plan,
        "csv",
        "options { header = true, timestamp-ntz-format = \"yyyy-MM-dd HH:mm:ss\" }");

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      List<String> expected =
          rows(
              sql,
              "SELECT sensor, ts, value FROM read_parquet('"
                  + source
                  + "/*.parquet') WHERE date_trunc('hour', ts) = TIMESTAMP '2026-03-29 02:00'"
                  + " ORDER BY ALL");
      String json = "read_json('" + dir.resolve("json") + "/*.json', format = 'newline_delimited')";
      assertThat(
              rows(
                  sql,
                  "SELECT sensor, CAST(ts AS TIMESTAMP), value FROM " + json + " ORDER BY ALL"))
          .isEqualTo(expected);
      // the text is the wall-clock time without an offset, e.g. 2026-03-29T02:00:04.000
      assertThat(rows(sql, "SELECT CAST(ts AS VARCHAR) FROM " + json))
          .hasSize(expected.size())
          .allMatch(text -> text.matches("2026-03-29T02:\\d\\d:\\d\\d\\.\\d{3}"), "no zone");
      String csv = "read_csv('" + dir.resolve("csv") + "/*.csv', header = true)";
      assertThat(rows(sql, "SELECT sensor, ts, value FROM " + csv + " ORDER BY ALL"))
          .isEqualTo(expected);
      assertThat(rows(sql, "SELECT typeof(ts) FROM " + csv + " LIMIT 1"))
          .containsExactly("TIMESTAMP");
    }
    // Avro's zone-less logical type, so readers do not take the values for UTC instants
    File avro;
    try (Stream<Path> files = Files.list(dir.resolve("avro"))) {
      avro = files.filter(p -> p.toString().endsWith(".avro")).findFirst().orElseThrow().toFile();
    }
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(avro, new GenericDatumReader<>())) {
      Schema ts = reader.getSchema().getField("ts").schema();
      Schema value = ts.getType() == Schema.Type.UNION ? ts.getTypes().get(0) : ts;
      assertThat(value.getLogicalType().getName()).isEqualTo("local-timestamp-micros");
    }
  }

  private void export(String zone, Path sink, String plan, String format, String sinkOptions) {
    RunResult result =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                Fixtures.job(
                    dir,
                    """
                    name = zoneless
                    time-zone = "%s"
                    params { spring = 2026-03-29, autumn = 2026-10-25 }
                    param-types { spring = date, autumn = date }
                    source { format = parquet, path = "%s" }
                    plan {
                    %s
                    }
                    sink { format = %s, path = "%s", mode = overwrite, %s }
                    """
                        .formatted(zone, source, plan, format, sink, sinkOptions),
                    Map.of()));
    assertThat(result.status()).isEqualTo(RunResult.Status.PUBLISHED);
  }

  /** Each row as text, every column as DuckDB prints it. */
  private static List<String> rows(Statement sql, String query) throws Exception {
    List<String> rows = new ArrayList<>();
    try (ResultSet r = sql.executeQuery(query)) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> values = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          values.add(r.getString(c));
        }
        rows.add(String.join(" | ", values));
      }
    }
    return rows;
  }

  /** Column name to DuckDB type of the Parquet files at {@code glob}. */
  private static Map<String, String> types(Statement sql, String glob) throws Exception {
    Map<String, String> types = new LinkedHashMap<>();
    try (ResultSet r = sql.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + glob + "')")) {
      ResultSetMetaData meta = r.getMetaData();
      assertThat(meta.getColumnName(1)).isEqualTo("column_name");
      while (r.next()) {
        types.put(r.getString(1), r.getString(2));
      }
    }
    return types;
  }
}
