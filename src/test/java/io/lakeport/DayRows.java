package io.lakeport;

import java.sql.Date;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The source of the crash and lease tests: ids {@code 0..rows-1} spread over three days from
 * 2026-10-01 (id mod 3), written as Parquet; and rows counted per day, the independent count an
 * export is compared with.
 */
public final class DayRows {
  private DayRows() {}

  /**
   * Writes {@code rows} rows ({@code id}, {@code day}) to {@code path}, replacing what is there.
   */
  public static void write(SparkSession spark, String path, long rows) {
    spark
        .range(rows)
        .select(
            functions.col("id"),
            functions
                .date_add(
                    functions.lit(Date.valueOf("2026-10-01")),
                    functions.col("id").mod(3).cast("int"))
                .as("day"))
        .write()
        .mode("overwrite")
        .parquet(path);
  }

  /** Rows per day, in day order. */
  public static Map<String, Long> perDay(Dataset<Row> rows) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : rows.groupBy("day").count().collectAsList()) {
      counts.put(String.valueOf(r.get(0)), r.getLong(1));
    }
    return counts;
  }
}
