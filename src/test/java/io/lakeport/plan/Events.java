package io.lakeport.plan;

import io.lakeport.TestSpark;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Test events, built in Java so expectations can be computed in Java, independently of Spark: nulls
 * in every column, and timestamps every 17 minutes across the 2026-11-01 autumn DST change in
 * America/New_York (06:00 UTC).
 */
record Events(
    int id, String severity, Double score, String ip, Instant ts, LocalDate day, Boolean flag) {
  static final Instant START = Instant.parse("2026-10-31T12:00:00Z");
  static final int COUNT = 300;

  static List<Events> all() {
    List<Events> events = new ArrayList<>();
    String[] severities = {"low", "medium", "high", "critical"};
    for (int i = 0; i < COUNT; i++) {
      events.add(
          new Events(
              i,
              i % 13 == 0 ? null : severities[i % 4],
              i % 11 == 0 ? null : (i * 37 % 100) / 100.0,
              i % 9 == 0 ? null : i % 3 == 0 ? "10.0.0." + i : "172.16." + (i % 4) + "." + i,
              i % 17 == 0 ? null : START.plusSeconds(i * 17L * 60),
              LocalDate.parse("2026-10-30").plusDays(i % 6),
              i % 7 == 0 ? null : i % 2 == 0));
    }
    return events;
  }

  static Dataset<Row> frame() {
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("severity", DataTypes.StringType)
            .add("score", DataTypes.DoubleType)
            .add("ip", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("day", DataTypes.DateType)
            .add("flag", DataTypes.BooleanType);
    List<Row> rows = new ArrayList<>();
    for (Events e : all()) {
      rows.add(
          RowFactory.create(
              e.id,
              e.severity,
              e.score,
              e.ip,
              e.ts == null ? null : Timestamp.from(e.ts),
              Date.valueOf(e.day),
              e.flag));
    }
    return TestSpark.session().createDataFrame(rows, schema);
  }
}
