package io.lakeport.demo;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Realistic synthetic source tables for demos, tutorials and tests: security detections (Delta),
 * web-shop orders and their customers (Parquet) and a small HR model (persons and org units as CSV,
 * assignments as JSON lines), all within {@link #FIRST_DAY} to {@link #LAST_DAY}.
 *
 * <p>Every value is a salted hash of the row number, so a call yields the same rows on any cluster,
 * with any partitioning and in any session time zone. Tables that already exist are left alone,
 * which makes {@link #createIfAbsent} safe to run at the start of every demo.
 */
public final class DemoData {

  /** The first day the demo data covers. */
  public static final LocalDate FIRST_DAY = LocalDate.of(2026, 10, 1);

  /** The last day the demo data covers (inclusive). */
  public static final LocalDate LAST_DAY = LocalDate.of(2026, 11, 30);

  private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

  private static final long FIRST_SECOND = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
  private static final long SECONDS =
      LAST_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - FIRST_SECOND;
  private static final long RESOLUTION = 1_000_000L;
  private static final String JOB_GROUP = "spark.jobGroup.id";
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private static final long ANOMALY_ROWS = 400_000;
  private static final long ORDER_ROWS = 300_000;
  private static final long PERSON_ROWS = 5_000;
  private static final long ASSIGNMENT_ROWS = 12_000;
  private static final int CUSTOMERS = 2_000;

  private static final String[] TENANTS =
      split("acme, globex, initech, umbrella, hooli, stark, wayne, tyrell");
  private static final String[] SEVERITIES = split("low, medium, high, critical");
  private static final String[] COUNTRIES = split("US, DE, GB, FR, NL, IN, BR, IE, JP, SG, CA, PL");
  private static final String[] RULES =
      split(
          "brute-force, impossible-travel, port-scan, credential-stuffing, malware-beacon,"
              + " dns-tunneling, data-exfiltration, privilege-escalation, phishing-click,"
              + " tor-exit-node");
  private static final String[] NOTES = {
    "false positive: scheduled pen test", "escalated to on-call", "customer confirmed travel",
    "known vulnerability scanner", "benign, VPN exit node", "ticket opened with IT"
  };
  private static final String[] PUBLIC_FIRST_OCTETS =
      split("23, 31, 45, 52, 62, 77, 81, 91, 104, 141, 185, 203");
  private static final String[] SHOP_COUNTRIES =
      split("DE, FR, NL, GB, US, IE, ES, IT, AT, BE, CA, FI");
  private static final String[] SEGMENTS = split("consumer, small-business, enterprise");
  private static final String[] STATUSES = split("placed, paid, shipped, cancelled, refunded");
  private static final String[] FIRST_NAMES =
      split(
          "Ada, Ben, Chloé, David, Elif, Farah, Greta, Hiro, Ines, Jonas, Kofi, Lena, Mateo, Nora,"
              + " Omar, Priya, Quentin, Rosa, Sven, Tanja, Umar, Vera, Wei, Xavier, Yara, Zoë,"
              + " Aisha, Bruno, Carmen, Dmitri, Emma, Felix, Grace, Hugo, Ingrid, Julia, Karim,"
              + " Lucas, Mia, Noah");
  private static final String[] LAST_NAMES =
      split(
          "Andersen, Becker, Costa, Dubois, Eriksson, Fischer, García, Hansen, Ivanova, Jansen,"
              + " Kowalski, Lindqvist, Müller, Nakamura, O'Brien, Petrov, Rossi, Schmidt, Tanaka,"
              + " Urban, Virtanen, Weber, Yilmaz, Zimmermann, Adeyemi, Bianchi, Chen, Dijkstra,"
              + " Edwards, Fernández, Gupta, Horváth, Kim, Lefebvre, Moreau, Novak, Okafor, Park,"
              + " Silva, Walsh");
  private static final String[] DEPARTMENTS =
      split(
          "Finance, Engineering, Security Operations, Sales, Marketing, People, Legal,"
              + " Customer Support, Data Platform, Facilities");
  private static final String[] REGIONS = split("EMEA, North America, LATAM, APAC, ANZ");
  private static final String[] ROLES = split("engineer, analyst, manager, lead, intern");
  private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZáéëíöüäç";
  private static final String ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzaeeiouac";

  private static final long ORG_UNIT_ROWS = DEPARTMENTS.length * (1L + REGIONS.length);
  private static final Map<String, Map<String, String>> OPTIONS =
      Map.of(
          "csv", Map.of("header", "true", "sep", ",", "dateFormat", "yyyy-MM-dd"),
          // Nulls are written out so that every line carries every key, in column order.
          "json", Map.of("ignoreNullFields", "false", "dateFormat", "yyyy-MM-dd"));

  /** A table to create: its folder name, Spark data source, size and how to generate it. */
  private record Table(
      String name, String format, long rows, Function<SparkSession, Dataset<Row>> data) {}

  private static final List<Table> TABLES =
      List.of(
          new Table("anomalies", "delta", ANOMALY_ROWS, DemoData::anomalies),
          new Table("orders", "parquet", ORDER_ROWS, DemoData::orders),
          new Table("customers", "parquet", CUSTOMERS, DemoData::customers),
          new Table("persons", "csv", PERSON_ROWS, DemoData::persons),
          new Table("org_units", "csv", ORG_UNIT_ROWS, DemoData::orgUnits),
          new Table("assignments", "json", ASSIGNMENT_ROWS, DemoData::assignments));

  private DemoData() {}

  /** Creates the demo tables under warehouse if they are absent; returns the names it created. */
  public static List<String> createIfAbsent(SparkSession spark, String warehouse) {
    requireNonNull(spark, "spark is null");
    requireNonNull(warehouse, "warehouse is null");
    Path given = new Path(warehouse);
    try {
      FileSystem fs = given.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path root = fs.makeQualified(given);
      List<String> created = new ArrayList<>();
      for (Table table : missingTables(fs, root)) {
        if (create(spark, fs, root, table)) {
          created.add(table.name());
        }
      }
      LOG.info("Demo tables under {}: created {}, others already present", root, created);
      return List.copyOf(created);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create demo tables under " + warehouse + ": " + e.getMessage(), e);
    }
  }

  /** The tables to create; fails before writing anything if a Delta folder lacks its log. */
  private static List<Table> missingTables(FileSystem fs, Path root) throws IOException {
    List<Table> missing = new ArrayList<>();
    for (Table table : TABLES) {
      Path folder = new Path(root, table.name());
      Path marker = table.format().equals("delta") ? new Path(folder, "_delta_log") : folder;
      if (fs.exists(marker)) {
        continue;
      }
      if (fs.exists(folder)) {
        throw new IllegalStateException(
            String.format(
                "Cannot create demo table %s: %s exists but is not a Delta table (no _delta_log)."
                    + " Remove the folder or choose another warehouse.",
                table.name(), folder));
      }
      missing.add(table);
    }
    return missing;
  }

  /** Writes the table beside its folder, then renames it into place; false if another won. */
  private static boolean create(SparkSession spark, FileSystem fs, Path root, Table table)
      throws IOException {
    Path target = new Path(root, table.name());
    Path staging = new Path(root, table.name() + ".tmp-" + UUID.randomUUID());
    long started = System.nanoTime();
    try {
      String description = "Create demo table " + table.name() + " at " + target;
      named(spark, description, () -> write(spark, table, staging));
      // A rename onto an existing folder would move the copy inside it, so look first.
      if (fs.exists(target)) {
        LOG.info(
            "Demo table {} appeared meanwhile at {}; dropping this copy", table.name(), target);
        fs.delete(staging, true);
        return false;
      }
      if (!fs.rename(staging, target)) {
        throw new IOException("renaming " + staging + " to " + target + " failed");
      }
    } catch (IOException | RuntimeException e) {
      discard(fs, staging, e);
      throw e;
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    LOG.info("Created {} ({} rows) at {} in {} ms", table.name(), table.rows(), target, millis);
    return true;
  }

  private static void discard(FileSystem fs, Path staging, Exception cause) {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  /** Writes one file per 5,000 rows, at most four. */
  private static void write(SparkSession spark, Table table, Path staging) {
    table
        .data()
        .apply(spark)
        .coalesce((int) Math.min(4, 1 + table.rows() / 5_000))
        .write()
        .mode(SaveMode.ErrorIfExists)
        .format(table.format())
        .options(OPTIONS.getOrDefault(table.format(), Map.of()))
        .save(staging.toString());
  }

  /** Runs action with the Spark jobs it starts named, then restores the caller's names. */
  private static void named(SparkSession spark, String description, Runnable action) {
    SparkContext context = spark.sparkContext();
    String group = context.getLocalProperty(JOB_GROUP);
    String previous = context.getLocalProperty(JOB_DESCRIPTION);
    context.setLocalProperty(JOB_GROUP, "lakeport-demo");
    context.setLocalProperty(JOB_DESCRIPTION, description);
    try {
      action.run();
    } finally {
      context.setLocalProperty(JOB_GROUP, group);
      context.setLocalProperty(JOB_DESCRIPTION, previous);
    }
  }

  private static Dataset<Row> anomalies(SparkSession spark) {
    // Each severity has its own score band: 0.05-0.34, 0.27-0.56, 0.49-0.78, 0.71-1.00.
    Column score =
        round(col("severity_rank").multiply(0.22).plus(0.05).plus(uniform(4).multiply(0.29)), 3);
    Column country = pick(COUNTRIES, skewed(8, 30, 12, 10, 8, 7, 7, 5, 5, 4, 4, 4, 4));
    Column publicOctet = pick(PUBLIC_FIRST_OCTETS, below(7, PUBLIC_FIRST_OCTETS.length));
    return spark
        .range(ANOMALY_ROWS)
        .withColumn("severity_rank", skewed(3, 50, 30, 15, 5))
        .select(
            format_string("evt-%06d", col("id")).as("event_id"),
            pick(TENANTS, skewed(1, 22, 18, 15, 12, 10, 9, 8, 6)).as("tenant"),
            spread(ANOMALY_ROWS, 2).as("detected_at"),
            pick(SEVERITIES, col("severity_rank")).as("severity"),
            when(uniform(5).geq(0.02), score).as("score"),
            when(uniform(6).lt(0.25), address(lit("10"), 20))
                .otherwise(address(publicOctet, 30))
                .as("ip"),
            when(uniform(9).geq(0.01), country).as("country"),
            pick(RULES, skewed(10, 20, 15, 14, 12, 10, 8, 7, 6, 5, 3)).as("rule"),
            when(uniform(11).lt(0.04), pick(NOTES, below(12, NOTES.length))).as("internal_note"));
  }

  /** An IPv4 address with the given first octet and a host number from 1 to 254. */
  private static Column address(Column first, int salt) {
    return format_string(
        "%s.%d.%d.%d", first, below(salt, 256), below(salt + 1, 256), below(salt + 2, 254).plus(1));
  }

  private static Dataset<Row> orders(SparkSession spark) {
    // A few customers order a lot: the lowest numbers are drawn most often.
    Column customer = integer(floor(pow(uniform(40), 1.5).multiply(CUSTOMERS)));
    Column country = pick(SHOP_COUNTRIES, below(col("customer_number"), 41, SHOP_COUNTRIES.length));
    return spark
        .range(ORDER_ROWS)
        .withColumn("customer_number", customer)
        .withColumn("country", country)
        .withColumn("items", integer(floor(pow(uniform(42), 3).multiply(20)).plus(1)))
        .select(
            col("id").plus(100_001).as("order_id"),
            format_string("cust-%04d", col("customer_number")).as("customer"),
            col("country"),
            spread(ORDER_ROWS, 43).as("order_ts"),
            pick(STATUSES, skewed(44, 12, 18, 58, 7, 5)).as("status"),
            amount(col("items")).as("amount"),
            when(col("country").equalTo("GB"), "GBP")
                .when(col("country").isin("US", "CA"), "USD")
                .otherwise("EUR")
                .as("currency"),
            col("items"));
  }

  /** A log-normal unit price (median 20) times the item count, from a Box-Muller normal. */
  private static Column amount(Column items) {
    Column positive = below(45, RESOLUTION).plus(1).divide(RESOLUTION);
    Column normal =
        sqrt(log(positive).multiply(-2)).multiply(cos(uniform(46).multiply(2 * Math.PI)));
    return exp(normal.multiply(0.8).plus(3.0))
        .multiply(items)
        .cast(DataTypes.createDecimalType(12, 2));
  }

  /**
   * The shop's customers, one per customer number the orders draw from ({@code cust-0000} to {@code
   * cust-1999}), each in the country its orders ship to.
   */
  private static Dataset<Row> customers(SparkSession spark) {
    return spark
        .range(CUSTOMERS)
        .withColumn("customer_number", integer(col("id")))
        .select(
            format_string("cust-%04d", col("customer_number")).as("customer"),
            concat_ws(
                    " ",
                    pick(FIRST_NAMES, below(60, FIRST_NAMES.length)),
                    pick(LAST_NAMES, below(61, LAST_NAMES.length)))
                .as("name"),
            pick(SHOP_COUNTRIES, below(col("customer_number"), 41, SHOP_COUNTRIES.length))
                .as("country"),
            pick(SEGMENTS, skewed(62, 70, 22, 8)).as("segment"),
            daysBefore(below(63, 6 * 365)).as("signed_up_on"))
        .orderBy("customer");
  }

  private static Dataset<Row> persons(SparkSession spark) {
    // Namesakes get a number in their address: ada.kim, ada.kim2, ...
    Column number = when(col("namesake").gt(1), col("namesake").cast("string")).otherwise("");
    Column email =
        format_string("%s.%s%s@example.com", ascii(col("first")), ascii(col("last")), number);
    return spark
        .range(PERSON_ROWS)
        .withColumn("first", pick(FIRST_NAMES, below(50, FIRST_NAMES.length)))
        .withColumn("last", pick(LAST_NAMES, below(51, LAST_NAMES.length)))
        .withColumn(
            "namesake", row_number().over(Window.partitionBy("first", "last").orderBy("id")))
        .select(
            integer(col("id").plus(1)).as("person_id"),
            concat_ws(" ", col("first"), col("last")).as("full_name"),
            email.as("email"),
            regionalUnit(52).as("org_unit_id"),
            daysBefore(below(53, 15 * 365)).as("hired_on"))
        .orderBy("person_id");
  }

  /**
   * A name as a lower-case e-mail part: accents folded, anything else but a-z dropped. Translates
   * instead of calling lower(), whose first use builds an ICU case table for seconds per executor.
   */
  private static Column ascii(Column name) {
    return regexp_replace(translate(name, LETTERS, ASCII_LETTERS), "[^a-z]", "");
  }

  /** Ten departments (the roots), each with one unit per region. */
  private static Dataset<Row> orgUnits(SparkSession spark) {
    Column root = col("id").lt(DEPARTMENTS.length);
    Column child = col("id").minus(DEPARTMENTS.length);
    Column department =
        integer(when(root, col("id")).otherwise(floor(child.divide(REGIONS.length))));
    Column region = integer(pmod(child, lit(REGIONS.length)));
    return spark
        .range(ORG_UNIT_ROWS)
        .select(
            integer(col("id").plus(1)).as("org_unit_id"),
            when(root, pick(DEPARTMENTS, department))
                .otherwise(concat_ws(" ", pick(DEPARTMENTS, department), pick(REGIONS, region)))
                .as("name"),
            when(not(root), department.plus(1)).as("parent_id"),
            format_string(
                    "CC-%02d%02d", department.plus(1), when(root, 0).otherwise(region.plus(1)))
                .as("cost_center"));
  }

  /** One of the regional units, the org units people work in. */
  private static Column regionalUnit(int salt) {
    return integer(below(salt, DEPARTMENTS.length * REGIONS.length).plus(DEPARTMENTS.length + 1));
  }

  private static Dataset<Row> assignments(SparkSession spark) {
    // Ended assignments last 30 days or more, but end by LAST_DAY; starts are before FIRST_DAY.
    Column ended =
        least(date_add(col("start_date"), integer(below(60, 1_200).plus(30))), lit(LAST_DAY));
    Column fte = when(uniform(61).lt(0.7), 1.0).otherwise(below(62, 8).plus(2).divide(10.0));
    return spark
        .range(ASSIGNMENT_ROWS)
        .withColumn("start_date", daysBefore(below(63, 3_650)))
        .select(
            col("id").plus(1).as("assignment_id"),
            integer(below(64, PERSON_ROWS).plus(1)).as("person_id"),
            regionalUnit(65).as("org_unit_id"),
            pick(ROLES, skewed(66, 40, 25, 12, 13, 10)).as("role"),
            col("start_date"),
            when(uniform(67).geq(0.6), ended).as("end_date"),
            fte.as("fte"));
  }

  /** A timestamp per row, uniform over the date range and rising with the row number. */
  private static Column spread(long rows, int salt) {
    Column slot = floor(col("id").multiply(SECONDS).divide(rows));
    return timestamp_seconds(lit(FIRST_SECOND).plus(slot).plus(below(salt, SECONDS / rows)));
  }

  private static Column daysBefore(Column days) {
    return date_add(lit(FIRST_DAY), integer(negate(days)));
  }

  /** A pseudo-random double in [0, 1), fixed by the row number and the salt. */
  private static Column uniform(int salt) {
    return below(salt, RESOLUTION).divide(RESOLUTION);
  }

  /** A pseudo-random long in [0, bound), fixed by the row number and the salt. */
  private static Column below(int salt, long bound) {
    return below(col("id"), salt, bound);
  }

  private static Column below(Column key, int salt, long bound) {
    return pmod(xxhash64(key, lit(salt)), lit(bound));
  }

  /** A pseudo-random index in [0, weights.length), each drawn in proportion to its weight. */
  private static Column skewed(int salt, int... weights) {
    Column draw = below(salt, Arrays.stream(weights).sum());
    Column index = null;
    int bound = 0;
    for (int i = 0; i < weights.length - 1; i++) {
      bound += weights[i];
      index = index == null ? when(draw.lt(bound), i) : index.when(draw.lt(bound), i);
    }
    return index.otherwise(weights.length - 1);
  }

  private static Column pick(String[] values, Column index) {
    return array(Arrays.stream(values).map(value -> lit(value)).toArray(Column[]::new))
        .getItem(integer(index));
  }

  private static Column integer(Column value) {
    return value.cast(DataTypes.IntegerType);
  }

  private static String[] split(String values) {
    return values.split(", ");
  }
}
