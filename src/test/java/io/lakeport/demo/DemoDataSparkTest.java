package io.lakeport.demo;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.json_object_keys;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lakeport.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataSparkTest {

  private static final List<String> TABLES =
      List.of("anomalies", "orders", "customers", "persons", "org_units", "assignments");
  private static final String ASSIGNMENT_SCHEMA =
      "assignment_id BIGINT, person_id INT, org_unit_id INT, role STRING, start_date DATE,"
          + " end_date DATE, fte DOUBLE";

  @TempDir static Path warehouse;

  private static SparkSession spark;
  private static List<String> created;

  @BeforeAll
  static void createDemoTables() {
    // The JVM's one local[2] session (UTC, Delta, two shuffle and snapshot partitions).
    spark = TestSpark.session();
    created = DemoData.createIfAbsent(spark, warehouse.toUri().toString());
  }

  @Test
  void createsTheSixTablesAndLeavesNoStagingFolders() throws IOException {
    assertThat(created).containsExactlyElementsOf(TABLES);
    try (Stream<Path> folders = Files.list(warehouse)) {
      assertThat(folders.map(folder -> folder.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(TABLES);
    }
    assertThat(warehouse.resolve("anomalies/_delta_log")).isDirectory();
  }

  @Test
  void deltaAndParquetTablesHaveTheirRowCountsAndColumns() {
    Dataset<Row> anomalies = read(warehouse, "anomalies");
    assertThat(anomalies.count()).isEqualTo(400_000);
    assertThat(columns(anomalies))
        .containsExactly(
            "event_id string",
            "tenant string",
            "detected_at timestamp",
            "severity string",
            "score double",
            "ip string",
            "country string",
            "rule string",
            "internal_note string");
    Dataset<Row> orders = read(warehouse, "orders");
    assertThat(orders.count()).isEqualTo(300_000);
    assertThat(columns(orders))
        .containsExactly(
            "order_id bigint",
            "customer string",
            "country string",
            "order_ts timestamp",
            "status string",
            "amount decimal(12,2)",
            "currency string",
            "items int");
    Dataset<Row> customers = read(warehouse, "customers");
    assertThat(customers.count()).isEqualTo(2_000);
    assertThat(columns(customers))
        .containsExactly(
            "customer string",
            "name string",
            "country string",
            "segment string",
            "signed_up_on date");
    // every order's customer is a customer, in the country the order ships to
    assertThat(
            orders
                .join(
                    customers,
                    orders.col("customer").equalTo(customers.col("customer")),
                    "left_anti")
                .count())
        .isZero();
    assertThat(
            orders
                .join(customers, "customer")
                .where(orders.col("country").notEqual(customers.col("country")))
                .count())
        .isZero();
  }

  @Test
  void csvTablesHaveAHeaderTheirRowCountsAndColumns() {
    Dataset<Row> persons = read(warehouse, "persons");
    assertThat(persons.count()).isEqualTo(5_000);
    assertThat(columns(persons))
        .containsExactly(
            "person_id int",
            "full_name string",
            "email string",
            "org_unit_id int",
            "hired_on date");
    Dataset<Row> units = read(warehouse, "org_units");
    assertThat(units.count()).isEqualTo(60);
    assertThat(columns(units))
        .containsExactly("org_unit_id int", "name string", "parent_id int", "cost_center string");
    assertThat(units.where(col("parent_id").isNull()).count()).isEqualTo(10);
    assertThat(persons.select("email").distinct().count()).isEqualTo(5_000);
  }

  @Test
  void assignmentsAreJsonLinesWithEveryKeyInColumnOrder() {
    String path = warehouse.resolve("assignments").toString();
    Row firstLine = spark.read().text(path).select(json_object_keys(col("value"))).first();
    assertThat(firstLine.<String>getList(0))
        .containsExactly(
            "assignment_id", "person_id", "org_unit_id", "role", "start_date", "end_date", "fte");
    Row summary =
        spark
            .read()
            .schema(ASSIGNMENT_SCHEMA)
            .option("mode", "FAILFAST")
            .json(path)
            .agg(
                count(lit(1)),
                count("start_date"),
                avg(when(col("end_date").isNull(), 1.0).otherwise(0.0)),
                count(when(col("end_date").leq(col("start_date")), 1)),
                min("fte"),
                max("fte"))
            .first();
    assertThat(summary.getLong(0)).isEqualTo(12_000);
    assertThat(summary.getLong(1)).isEqualTo(12_000);
    assertThat(summary.getDouble(2)).isCloseTo(0.60, within(0.02));
    assertThat(summary.getLong(3)).isZero();
    assertThat(summary.getDouble(4)).isEqualTo(0.2);
    assertThat(summary.getDouble(5)).isEqualTo(1.0);
  }

  @Test
  void aSecondCallCreatesNothingAndChangesNothing() throws IOException {
    Map<String, String> before = files(warehouse);
    assertThat(DemoData.createIfAbsent(spark, warehouse.toString())).isEmpty();
    assertThat(files(warehouse)).isEqualTo(before);
    assertThat(read(warehouse, "anomalies").count()).isEqualTo(400_000);
  }

  @Test
  void everyWarehouseAndTimeZoneGetsTheSameRows(@TempDir Path other) throws IOException {
    // Folders that exist count as present tables, so only anomalies and persons are generated.
    for (String table : List.of("orders", "customers", "org_units", "assignments")) {
      Files.createDirectory(other.resolve(table));
    }
    // Generated in another session time zone, which must not matter either.
    spark.conf().set("spark.sql.session.timeZone", "America/New_York");
    try {
      assertThat(DemoData.createIfAbsent(spark, other.toString()))
          .containsExactly("anomalies", "persons");
    } finally {
      spark.conf().set("spark.sql.session.timeZone", "UTC");
    }
    Dataset<Row> persons = read(warehouse, "persons");
    Dataset<Row> samePersons = read(other, "persons");
    assertThat(persons.except(samePersons).isEmpty()).isTrue();
    assertThat(samePersons.except(persons).isEmpty()).isTrue();
    // For 400,000 rows, two order-independent checksums instead of two shuffles.
    assertThat(fingerprint(read(other, "anomalies")))
        .isEqualTo(fingerprint(read(warehouse, "anomalies")));
  }

  @Test
  void aFolderWithoutDeltaLogIsNotOverwritten(@TempDir Path other) throws IOException {
    Files.createDirectories(other.resolve("anomalies"));
    Files.writeString(other.resolve("anomalies/notes.txt"), "mine");
    assertThatThrownBy(() -> DemoData.createIfAbsent(spark, other.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot create demo table anomalies: file:%s exists but is not a Delta table"
                + " (no _delta_log). Remove the folder or choose another warehouse.",
            other.resolve("anomalies"));
    try (Stream<Path> folders = Files.list(other)) {
      assertThat(folders).containsExactly(other.resolve("anomalies"));
    }
  }

  @Test
  void detectionsFallWithinTheDateRange() {
    Instant first = DemoData.FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = DemoData.LAST_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Row range =
        read(warehouse, "anomalies")
            .agg(
                count(when(col("detected_at").lt(lit(first)), 1)),
                count(when(col("detected_at").geq(lit(end)), 1)),
                min("detected_at"),
                max("detected_at"))
            .first();
    assertThat(range.getLong(0)).isZero();
    assertThat(range.getLong(1)).isZero();
    assertThat(range.getTimestamp(2).toInstant()).isBefore(first.plusSeconds(60));
    assertThat(range.getTimestamp(3).toInstant()).isAfter(end.minusSeconds(60));
  }

  @Test
  void severitiesFollowTheirSkew() {
    Map<String, Double> shares =
        read(warehouse, "anomalies").groupBy("severity").count().collectAsList().stream()
            .collect(Collectors.toMap(row -> row.getString(0), row -> row.getLong(1) / 400_000.0));
    assertThat(shares).containsOnlyKeys("low", "medium", "high", "critical");
    assertThat(shares.get("low")).isCloseTo(0.50, within(0.02));
    assertThat(shares.get("medium")).isCloseTo(0.30, within(0.02));
    assertThat(shares.get("high")).isCloseTo(0.15, within(0.02));
    assertThat(shares.get("critical")).isCloseTo(0.05, within(0.02));
  }

  @Test
  void aQuarterOfAddressesAreInternalAndAllAreIpv4() {
    Row addresses =
        read(warehouse, "anomalies")
            .agg(
                avg(when(col("ip").startsWith("10."), 1.0).otherwise(0.0)),
                count(when(col("ip").rlike("^(\\d{1,3})(\\.\\d{1,3}){3}$"), 1)),
                avg(when(col("score").isNull(), 1.0).otherwise(0.0)),
                avg(when(col("country").isNull(), 1.0).otherwise(0.0)))
            .first();
    assertThat(addresses.getDouble(0)).isCloseTo(0.25, within(0.02));
    assertThat(addresses.getLong(1)).isEqualTo(400_000);
    assertThat(addresses.getDouble(2)).isCloseTo(0.02, within(0.005));
    assertThat(addresses.getDouble(3)).isCloseTo(0.01, within(0.005));
  }

  private static Dataset<Row> read(Path root, String table) {
    String path = root.resolve(table).toString();
    return switch (table) {
      case "anomalies" -> spark.read().format("delta").load(path);
      case "orders", "customers" -> spark.read().parquet(path);
      case "assignments" -> spark.read().schema(ASSIGNMENT_SCHEMA).json(path);
      default -> spark.read().option("header", true).option("inferSchema", true).csv(path);
    };
  }

  private static Row fingerprint(Dataset<Row> table) {
    Column[] all = Arrays.stream(table.columns()).map(functions::col).toArray(Column[]::new);
    return table.agg(count(lit(1)), sum(hash(all).cast("bigint")), bit_xor(xxhash64(all))).first();
  }

  private static List<String> columns(Dataset<Row> table) {
    return Arrays.stream(table.schema().fields())
        .map(field -> field.name() + " " + field.dataType().simpleString())
        .toList();
  }

  /** Every file under root with its size and modification time. */
  private static Map<String, String> files(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      Map<String, String> files = new TreeMap<>();
      for (Path file : paths.filter(Files::isRegularFile).toList()) {
        files.put(
            root.relativize(file).toString(),
            Files.size(file) + " " + Files.getLastModifiedTime(file));
      }
      return files;
    }
  }
}
