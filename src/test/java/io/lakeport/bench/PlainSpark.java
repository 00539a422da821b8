package io.lakeport.bench;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The hand-written Spark program Lakeport is measured against: the DataFrame operations a data
 * engineer would write for the benchmark's aggregate job ({@link BenchJobs#aggregate}), and the
 * same partitioned write. It is also a process of its own ({@link #main}) for the end-to-end case.
 */
public final class PlainSpark {
  private PlainSpark() {}

  /** Filter, daily aggregate per country and category, one folder per day. */
  static void aggregate(
      SparkSession spark, String input, String output, String format, String compression) {
    Dataset<Row> result =
        spark
            .read()
            .parquet(input)
            .where(not(col("status").isin("cancelled")).and(col("amount").gt(1.0)))
            .withColumn("event_day", to_date(col("event_ts")))
            .groupBy(col("event_day"), col("country"), col("category"))
            .agg(
                count(lit(1)).as("events"),
                sum("amount").as("revenue"),
                avg("amount").as("avg_amount"),
                sum("quantity").as("items"),
                approx_count_distinct("customer_id").as("customers"));
    result
        .repartition(col("event_day"))
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("event_day")
        .format(format)
        .option("compression", compression)
        .option("header", "true")
        .save(output);
  }

  /**
   * Case 2's row export as a user would write it: every row but cancelled ones with an amount over
   * 5, the day and the line total derived, {@code write.partitionBy("event_day")} as zstd Parquet
   * (Spark sorts each task's rows by day and writes one day's file after another).
   */
  static void rowExport(SparkSession spark, String input, String output) {
    spark
        .read()
        .parquet(input)
        .where(col("status").notEqual("cancelled").and(col("amount").gt(5)))
        .withColumn("event_day", to_date(col("event_ts")))
        .withColumn("line_total", col("amount").multiply(col("quantity")))
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("event_day")
        .option("compression", "zstd")
        .parquet(output);
  }

  /** How rows are spread over the tasks that write a partitioned output. */
  enum Distribution {
    /** {@code repartition(column)}: one task per partition value, however many rows it holds. */
    REPARTITION,
    /** The {@code REBALANCE} hint: adaptive execution splits large values and merges small ones. */
    REBALANCE
  }

  /**
   * Every row but cancelled ones, with the day derived, one folder per value of {@code
   * partitionBy}.
   */
  static void rows(
      SparkSession spark,
      String input,
      String output,
      String partitionBy,
      Distribution distribution) {
    Dataset<Row> rows =
        spark
            .read()
            .parquet(input)
            .where(not(col("status").isin("cancelled")))
            .withColumn("event_day", to_date(col("event_ts")));
    Dataset<Row> spread =
        switch (distribution) {
          case REPARTITION -> rows.repartition(col(partitionBy));
          case REBALANCE -> rows.hint("rebalance", col(partitionBy));
        };
    spread
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(partitionBy)
        .option("compression", "zstd")
        .parquet(output);
  }

  /**
   * {@code PlainSpark <input> <output> <format> <compression>}: a local[*] session with the same
   * settings Lakeport's site gives its own (UI off, 8 shuffle partitions, 127.0.0.1, UTC), running
   * the aggregate job. With {@code -Dplain.comet=loaded} the context loads Comet's plugin, shuffle
   * manager and off-heap memory as Lakeport's accelerator does, with {@code spark.comet.enabled}
   * false; with {@code -Dplain.repeat=N} it runs case 2's row export N times instead and prints
   * each run's seconds: two such processes show what the loaded but disabled plugin costs Spark.
   */
  public static void main(String[] args) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("plain-spark")
            .master("local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .config("spark.hadoop.fs.file.impl", "io.lakeport.hadoop.NoForkLocalFileSystem")
            .config("spark.hadoop.fs.file.impl.disable.cache", "true");
    if ("loaded".equals(System.getProperty("plain.comet"))) {
      builder
          .config("spark.plugins", "org.apache.spark.CometPlugin")
          .config(
              "spark.shuffle.manager",
              "org.apache.spark.sql.comet.execution.shuffle.CometShuffleManager")
          .config("spark.memory.offHeap.enabled", "true")
          .config("spark.memory.offHeap.size", Runtime.getRuntime().maxMemory() / 2 / 1048576 + "m")
          .config("spark.comet.enabled", "false");
    }
    SparkSession spark = builder.getOrCreate();
    int repeat = Integer.getInteger("plain.repeat", 0);
    if (repeat == 0) {
      aggregate(spark, args[0], args[1], args[2], args[3]);
    }
    for (int i = 0; i < repeat; i++) {
      System.gc();
      long start = System.nanoTime();
      rowExport(spark, args[0], args[1]);
      System.out.printf(
          Locale.ROOT,
          "plain-spark %s run %d: %.2f s%n",
          System.getProperty("plain.comet", "none"),
          i,
          (System.nanoTime() - start) / 1e9);
    }
    spark.stop();
  }
}
