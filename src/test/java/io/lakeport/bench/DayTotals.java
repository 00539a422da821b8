package io.lakeport.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a partitioned output holds per day (rows and the sums of three numeric columns: the
 * aggregate's events, items and revenue; the row export's quantity, event id and line total), read
 * back by Spark, to check that engines and write variants wrote the same rows into the same
 * folders.
 */
record DayTotals(Map<String, BenchCases.Totals> days) {
  DayTotals {
    days = Map.copyOf(days);
  }

  static DayTotals of(SparkSession spark, Path output, EnginesCase.Kind kind) {
    return switch (kind) {
      case AGGREGATE -> read(spark, output, "events", "items", "revenue");
      case ROWS -> read(spark, output, "quantity", "event_id", "line_total");
    };
  }

  private static DayTotals read(
      SparkSession spark, Path output, String first, String second, String third) {
    Map<String, BenchCases.Totals> days = new TreeMap<>();
    for (Row r :
        spark
            .read()
            .parquet(output.toString())
            .groupBy(col("event_day").cast("string"))
            .agg(
                count(lit(1)).cast("long"),
                sum(first).cast("long"),
                sum(second).cast("long"),
                sum(third).cast("double"))
            .collectAsList()) {
      days.put(
          r.getString(0),
          new BenchCases.Totals(r.getLong(1), r.getLong(2), r.getLong(3), r.getDouble(4)));
    }
    return new DayTotals(days);
  }

  /** Rows over all days. */
  long rows() {
    return days.values().stream().mapToLong(BenchCases.Totals::rows).sum();
  }

  /** Fails unless {@code other} holds the same days with the same totals. */
  void requireSame(DayTotals other, String name) {
    boolean same =
        days.keySet().equals(other.days.keySet())
            && days.entrySet().stream()
                .allMatch(day -> day.getValue().same(other.days.get(day.getKey())));
    if (!same || days.isEmpty()) {
      throw new IllegalStateException(
          name + " wrote other rows than plain Spark: " + other.days + " vs " + days);
    }
  }
}
