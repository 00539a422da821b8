package io.lakeport.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark's source table, {@code events}: web-shop events over the 30 days of November 2026.
 * Every value is a salted hash of the row number, so a given row count yields the same table on any
 * run and machine; tables already generated (marked by {@code _SUCCESS}) are reused.
 */
final class BenchData {
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);
  static final int DAYS = 30;
  private static final long FIRST_SECOND = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
  private static final String[] COUNTRIES =
      ("DE FR NL GB US IE ES IT AT BE CA FI SE DK NO PL CZ PT CH JP " + "SG AU BR MX IN")
          .split(" ");
  private static final String[] CATEGORIES =
      "books music games garden kitchen toys sports tools beauty office shoes bags".split(" ");
  private static final String[] WORDS =
      ("fast delivery gift wrapped returned damaged box late early repeat "
              + "customer coupon express standard pickup locker weekend sale bundle priority")
          .split(" ");
  private static final int ROWS_PER_FILE = 2_000_000;

  private BenchData() {}

  /** The events table of {@code rows} rows as Parquet under {@code root}; generated if absent. */
  static Path events(SparkSession spark, Path root, long rows) {
    Path folder = root.resolve("events-" + rows);
    if (!Files.exists(folder.resolve("_SUCCESS"))) {
      events(spark, rows)
          .repartition(files(rows))
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(folder.toString());
    }
    return folder;
  }

  /**
   * The same rows as uncompressed CSV with a header: what a user would otherwise ship, and the
   * baseline of the compression table.
   */
  static Path eventsCsv(SparkSession spark, Path root, long rows) {
    Path folder = root.resolve("events-" + rows + "-csv");
    if (!Files.exists(folder.resolve("_SUCCESS"))) {
      events(spark, rows)
          .repartition(files(rows))
          .write()
          .mode(SaveMode.Overwrite)
          .option("header", "true")
          .csv(folder.toString());
    }
    return folder;
  }

  /** The countries of the table, in a fixed order. */
  static List<String> countries() {
    return List.of(COUNTRIES);
  }

  static Dataset<Row> events(SparkSession spark, long rows) {
    Column id = col("id");
    return spark
        .range(0, rows, 1, files(rows))
        .select(
            id.as("event_id"),
            timestamp_seconds(lit(FIRST_SECOND).plus(pmod(hash(id, 1), lit(DAYS * 86_400L))))
                .as("event_ts"),
            pick(COUNTRIES, hash(id, 2)).as("country"),
            pick(CATEGORIES, hash(id, 3)).as("category"),
            status(hash(id, 4)).as("status"),
            round(pmod(hash(id, 5), lit(100_000L)).divide(100.0), 2).as("amount"),
            pmod(hash(id, 6), lit(9L)).plus(1).cast("int").as("quantity"),
            pmod(hash(id, 7), lit(rows / 20 + 1)).as("customer_id"),
            concat_ws(
                    " ",
                    pick(WORDS, hash(id, 8)),
                    pick(WORDS, hash(id, 9)),
                    pick(WORDS, hash(id, 10)))
                .as("note"));
  }

  /** 90% completed, 6% cancelled, 4% failed. */
  private static Column status(Column hash) {
    Column bucket = pmod(hash, lit(100L));
    return when(bucket.lt(90), "completed").when(bucket.lt(96), "cancelled").otherwise("failed");
  }

  private static Column pick(String[] values, Column hash) {
    return element_at(
        array(Arrays.stream(values).map(v -> lit(v)).toArray(Column[]::new)),
        pmod(hash, lit((long) values.length)).plus(1).cast("int"));
  }

  private static Column hash(Column id, int salt) {
    return xxhash64(id, lit(salt));
  }

  private static int files(long rows) {
    return (int) Math.max(2, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
  }
}
