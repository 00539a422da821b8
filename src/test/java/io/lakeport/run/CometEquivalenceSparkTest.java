package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.run.Equivalence.Case;
import io.lakeport.run.Equivalence.Through;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.comet.CometConf$;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every plan feature and sink format gives the same rows with the Apache DataFusion Comet
 * accelerator as on plain Spark. Each case is a job file run through {@link ExportRunner} twice in
 * this JVM's one Spark context, which loads Comet as Lakeport ships it ({@link
 * TestSpark#accelerated()}: the reference {@code lakeport.spark.comet.conf}): "on" is a session
 * with {@code spark.comet.enabled=true}; "off" is a session of the same context with {@code
 * spark.comet.enabled=false}, so Comet's plugin and shuffle manager are loaded but its planning
 * rules leave every operator to Spark. Both exports are read back with plain Spark (POI for
 * workbooks) and compared row for row ({@link Equivalence}). The rest of the test suite runs in
 * another JVM on plain Spark without the plugin.
 *
 * <p>Not vacuous: the Comet run's executed plans (as the Spark UI gets them) must hold Comet
 * operators, those each case names in particular, and the plain run's none. The source rows ({@link
 * AwkwardRows}) hold the values engines disagree on.
 */
@Tag("comet")
class CometEquivalenceSparkTest {
  private static final String BERLIN = "Europe/Berlin";
  private static final String NEW_YORK = "America/New_York";
  private static final String SCAN = "CometNativeScan";
  private static final String FILTER = "CometFilter";
  private static final String PROJECT = "CometProject";
  private static final String AGGREGATE = "CometHashAggregate";
  private static final String EXCHANGE = "CometExchange";

  @TempDir static Path dir;
  private static Equivalence equivalence;

  @BeforeAll
  static void source() {
    SparkSession spark = TestSpark.accelerated();
    equivalence = new Equivalence(spark, dir, dir.resolve("source").toString());
    equivalence
        .reader()
        .createDataFrame(AwkwardRows.rows(), AwkwardRows.SCHEMA)
        .repartition(2)
        .write()
        .parquet(dir.resolve("source").toString());
  }

  @TestFactory
  Stream<DynamicTest> everyFilterOperatorWithNulls() {
    return tests(
        where("eq string", "{ column = city, eq = Zürich }"),
        where("ne non-ASCII string", "{ column = city, ne = 東京 }"),
        where("lt double with NaN", "{ column = score, lt = 0.3 }"),
        where("lte double", "{ column = score, lte = 0 }"),
        where("gt double with infinities", "{ column = score, gt = 0.9 }"),
        where("gte double", "{ column = score, gte = -0.0 }"),
        where("gt decimal", "{ column = amount, gt = 1234.5 }"),
        where("lte wide decimal", "{ column = big, lte = \"-1234567890123456789.0123456789\" }"),
        where("eq int", "{ column = qty, eq = 2147483647 }"),
        where("in non-ASCII strings", "{ column = city, in = [Zürich, 東京, \"🚀 launch\", \"\"] }"),
        where("not-in strings", "{ column = city, not-in = [ascii, straße] }"),
        where("between dates across DST", "{ column = day, between = [2026-03-28, 2026-03-30] }"),
        where("lt first date", "{ column = day, lt = 1600-01-01 }"),
        where(
            "between days on timestamps, Berlin spring",
            "{ column = ts, between = [2026-03-29, 2026-03-29], unit = day }"),
        where(
            "eq hour, the repeated Berlin hour",
            "{ column = ts, eq = \"2026-10-25T02:30:00+01:00\", unit = hour }"),
        where("lt local date-time in Berlin", "{ column = ts, lt = \"2026-03-29T03:00:00\" }"),
        where(
            "between zone-less wall clocks across the gap",
            "{ column = local, between = [\"2026-03-29T02:00:00\", \"2026-03-29T03:00:00\"] }"),
        where("gte zone-less day", "{ column = local, gte = 2026-10-25, unit = day }"),
        where("like non-ASCII", "{ column = city, like = \"%ü%\" }"),
        where("like prefix", "{ column = ip, like = \"10.%\" }"),
        where("regex unicode", "{ column = city, regex = \"^\\\\p{Lu}\" }"),
        where("regex ip", "{ column = ip, regex = \"^172\\\\.16\\\\.[12]\\\\.\" }"),
        where("is-null", "{ column = score, is-null = true }"),
        where("not-null", "{ column = ts, not-null = true }"),
        where("eq boolean", "{ column = flag, eq = false }"),
        where(
            "and or not nested",
            "{ and = [ { not = { column = city, in = [ascii] } }, "
                + "{ or = [ { column = flag, eq = true }, { column = score, is-null = true } ] } ] }"),
        where("raw SQL", "\"qty % 3 = 0 AND length(city) > 4\""));
  }

  @TestFactory
  Stream<DynamicTest> everyAggregationAndTimeBucket() {
    return tests(
        plan(
                "every metric by non-ASCII city",
                BERLIN,
                """
                aggregate {
                  group-by = [city]
                  metrics {
                    n = "count", scored = "count(score)", ips = "count_distinct(ip)"
                    approx_ips = "approx_count_distinct(ip)", total = "sum(score)"
                    mean = "avg(score)", low = "min(score)", high = "max(score)"
                    p90 = "percentile(score, 0.9)", approx_p50 = "approx_percentile(score, 0.5)"
                  }
                }
                """)
            .exported()
            .natively(SCAN, AGGREGATE, EXCHANGE),
        plan(
                "decimal, integer, date and text metrics by flag",
                BERLIN,
                """
                aggregate {
                  group-by = [flag]
                  metrics {
                    amount_sum = "sum(amount)", amount_avg = "avg(amount)"
                    amount_min = "min(amount)", big_sum = "sum(big)", big_avg = "avg(big)"
                    big_max = "max(big)", qty_sum = "sum(qty)", qty_avg = "avg(qty)"
                    qty_p50 = "percentile(qty, 0.5)", days = "count_distinct(day)"
                    first_day = "min(day)", last_ts = "max(ts)", first_local = "min(local)"
                    last_city = "max(city)"
                  }
                }
                """)
            // Comet 1.2.0 leaves this aggregate to Spark (ObjectHashAggregate): "Grouped decimal
            // SUM at maximum precision cannot match Spark's unbounded object aggregation buffer"
            .natively(SCAN),
        bucket("hour buckets across Berlin's changes", BERLIN, "ts", "1 hour"),
        bucket("quarter-hour buckets in New York", NEW_YORK, "ts", "15 minutes"),
        bucket("day buckets in New York", NEW_YORK, "ts", "day"),
        bucket("week buckets in Berlin", BERLIN, "ts", "week"),
        bucket("month buckets in New York", NEW_YORK, "ts", "month"),
        // hour() and minute() of a zone-less column (no zone involved): Comet 1.2.0 computes them
        // natively here although spark.comet.expression.Hour.enabled is false
        bucket("zone-less hour buckets", BERLIN, "local", "1 hour"),
        bucket("zone-less day buckets", NEW_YORK, "local", "day"));
  }

  @TestFactory
  Stream<DynamicTest> deriveStandardizeNullsAndSelect() {
    return tests(
        plan(
                "derive text functions on non-ASCII",
                BERLIN,
                """
                derive {
                  up = "upper(city)", low = "lower(city)", len = "length(city)"
                  first2 = "substring(city, 1, 2)", joined = "concat(city, '|', ip)"
                  title = "initcap(city)", trimmed = "trim(city)", rev = "reverse(city)"
                  pos = "instr(city, 'ü')", replaced = "replace(city, 'ß', 'ss')"
                  padded = "lpad(city, 8, '*')", hashed = "hash(city)", sha = "sha2(city, 256)"
                }
                """)
            .natively(SCAN, PROJECT),
        derivedTimes(BERLIN),
        derivedTimes(NEW_YORK),
        plan(
                "derive local times where tzdata 2025a and 2025b differ",
                "Asia/Tehran",
                """
                derive {
                  t = "timestamp_seconds(id * 3600 + 280800000)"
                  h = "hour(t)", m = "minute(t)", d = "to_date(t)"
                  shown = "date_format(t, 'yyyy-MM-dd HH:mm XXX')", day_start = "date_trunc('DAY', t)"
                }
                """)
            // hour() and minute() diverged (Comet's tzdata 2025b, the JVM's 2025a): reference.conf
            // turns them off in Comet, so Spark computes them (t still comes from a CometProject)
            .natively(SCAN, PROJECT)
            .onSpark("hour(", "minute("),
        plan(
                "half-hour buckets where tzdata 2025a and 2025b differ",
                "Asia/Tehran",
                """
                derive { t = "timestamp_seconds(id * 1800 + 280800000)" }
                aggregate {
                  time-bucket { column = t, every = "30 minutes", as = bucket }
                  metrics { n = "count" }
                }
                """)
            .natively(SCAN, AGGREGATE),
        plan(
                "derive decimal and double arithmetic",
                BERLIN,
                """
                derive {
                  triple = "amount * 3", seventh = "amount / 7", mixed = "big + amount"
                  negated = "-big", rounded = "round(score, 2)"
                  as_decimal = "try_cast(score as decimal(20, 6))"
                  doubled = "cast(qty as bigint) * 2", third = "qty / 3", modulo = "qty % 7"
                  floored = "floor(score)", root = "sqrt(abs(score))", logged = "ln(abs(score) + 1)"
                  squared = "pow(score, 2)", amount_round = "round(amount, 1)"
                  amount_ceil = "ceil(amount)", big_scaled = "big * 0.001"
                }
                """)
            .natively(SCAN, PROJECT),
        plan(
                "derive casts from text",
                BERLIN,
                """
                derive {
                  as_int = "try_cast(seconds as int)", as_double = "try_cast(seconds as double)"
                  as_decimal = "try_cast(seconds as decimal(10, 2))"
                  as_date = "try_cast(iso as date)", as_timestamp = "try_cast(iso as timestamp)"
                  as_local = "try_cast(iso as timestamp_ntz)", shown = "cast(score as string)"
                  big_text = "cast(big as string)", ts_text = "cast(ts as string)"
                }
                """)
            .natively(SCAN, PROJECT),
        standardized(BERLIN),
        standardized(NEW_YORK),
        plan(
                "nulls dropped and filled, columns selected",
                BERLIN,
                """
                nulls { drop = [score], fill { city = "unknown", qty = "0" } }
                select { exclude = [iso], rename { city = place }, order = [place, id] }
                """)
            .natively(SCAN, FILTER, PROJECT));
  }

  @TestFactory
  Stream<DynamicTest> everySinkFormat() {
    return Stream.of("parquet", "csv", "json", "avro", "xml", "delta", "excel")
        .map(
            format ->
                new Case(
                        "sink " + format,
                        BERLIN,
                        "where = { column = qty, not-null = true }"
                            + (format.equals("excel") ? "\nselect.exclude = [local]" : ""),
                        format,
                        format.equals("xml") ? ", options { row-tag = row, root-tag = rows }" : "",
                        Through.EXPORT,
                        List.of(),
                        List.of())
                    .natively(SCAN, FILTER))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> equivalence.check(c)));
  }

  private static Case derivedTimes(String zone) {
    return plan(
            "derive date and time functions in " + zone,
            zone,
            """
            derive {
              d = "to_date(ts)", h = "hour(ts)", trunc_day = "date_trunc('DAY', ts)"
              trunc_hour = "date_trunc('HOUR', ts)"
              shown = "date_format(ts, 'yyyy-MM-dd HH:mm:ss XXX')"
              wall = "cast(ts as timestamp_ntz)", zoned = "cast(local as timestamp)"
              local_day = "to_date(local)", dow = "dayofweek(day)", next = "date_add(day, 1)"
              seconds_since = "unix_timestamp(ts)", month_start = "trunc(day, 'MM')"
              from_epoch = "timestamp_millis(millis)", local_hour = "hour(local)"
            }
            """)
        .natively(SCAN)
        .onSpark("hour("); // turned off in Comet
  }

  private static Case standardized(String zone) {
    Case c =
        plan(
                "standardize text and epochs in " + zone,
                zone,
                """
            standardize {
              iso { to = timestamp }
              pattern { to = timestamp, from = "dd/MM/yyyy HH:mm" }
              seconds { to = timestamp, from = epoch-seconds }
              millis { to = timestamp, from = epoch-millis }
              day_text { to = date, from = "dd.MM.yyyy" }
            }
            """)
            .natively(SCAN, PROJECT);
    return zone.equals(BERLIN) ? c.exported() : c;
  }

  private static Case bucket(String name, String zone, String column, String every) {
    return plan(
            name,
            zone,
            "aggregate { time-bucket { column = %s, every = \"%s\", as = bucket }\n"
                    .formatted(column, every)
                + "metrics { n = \"count\", total = \"sum(amount)\", top = \"max(score)\" } }")
        .natively(SCAN, PROJECT, AGGREGATE, EXCHANGE);
  }

  /**
   * A unique-key rule's count hashes the keys in the accelerated plan: with Comet, without it and
   * counted as rows minus distinct keys by plain Spark, for every key type the hash pass takes.
   */
  @Test
  void uniqueKeyCountsAreTheSameWithComet() {
    String source = dir.resolve("source").toString();
    for (List<String> key :
        List.of(
            List.of("id"),
            List.of("id", "city"),
            List.of("city"),
            List.of("qty", "flag"),
            List.of("amount"),
            List.of("big"),
            List.of("day"),
            List.of("ts"),
            List.of("local"),
            List.of("ip"))) {
      Dataset<Row> plain = equivalence.off().read().parquet(source);
      long rows = plain.count();
      long expected = rows - plain.selectExpr(key.toArray(String[]::new)).distinct().count();
      assertThat(UniqueKeys.duplicates(equivalence.on().read().parquet(source), key, rows))
          .as("duplicates of %s with Comet", key)
          .isEqualTo(UniqueKeys.duplicates(plain, key, rows))
          .isEqualTo(expected);
    }
  }

  @Test
  void expressionsThatDivergedAreTurnedOffInTheShippedSettings() {
    Map<String, String> shipped = Fixtures.site().accelerator().cometConf();
    SparkConf context = TestSpark.accelerated().sparkContext().conf();
    for (String expression : List.of("Hour", "Minute")) {
      String key = CometConf$.MODULE$.getExprEnabledConfigKey(expression);
      assertThat(shipped)
          .as("reference.conf lakeport.spark.comet.conf")
          .containsEntry(key, "false");
      assertThat(context.get(key, "unset")).as("the test context's " + key).isEqualTo("false");
    }
  }

  private static Case plan(String name, String zone, String plan) {
    return new Case(name, zone, plan, "parquet", "", Through.PLAN, List.of(), List.of());
  }

  private static Case where(String name, String filter) {
    return new Case(
            name, BERLIN, "where = " + filter, "parquet", "", Through.PLAN, List.of(), List.of())
        .natively(SCAN, FILTER);
  }

  private static Stream<DynamicTest> tests(Case... cases) {
    return Stream.of(cases).map(c -> DynamicTest.dynamicTest(c.name(), () -> equivalence.check(c)));
  }
}
