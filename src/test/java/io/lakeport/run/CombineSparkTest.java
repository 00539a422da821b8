package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import io.lakeport.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
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
 * Jobs of several inputs: a join, a left join, a join on a condition with an aggregation after it,
 * and a union by name, each exported by Lakeport and compared row for row with the same query run
 * by DuckDB (over JDBC, in this JVM) on the generated source files. Also what the manifest records
 * of each input, and the mistakes the inputs' schemas reveal, each at its line.
 */
class CombineSparkTest {
  private static final int ORDERS = 400;
  private static final int CUSTOMERS = 60;

  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;
  private String orders;
  private String customers;

  @BeforeEach
  void sources() {
    StructType orderSchema =
        new StructType()
            .add("order_id", DataTypes.LongType, false)
            .add("customer_id", DataTypes.LongType)
            .add("amount", DataTypes.DoubleType)
            .add("day", DataTypes.DateType)
            .add("note", DataTypes.StringType);
    List<Row> orderRows = new ArrayList<>();
    for (long i = 0; i < ORDERS; i++) {
      // every 7th order is of a customer the customers table does not have; some have none
      Long customer = i % 11 == 0 ? null : i % 7 == 0 ? 1_000 + i : i % (CUSTOMERS + 10);
      orderRows.add(
          RowFactory.create(
              i,
              customer,
              i % 13 == 0 ? null : (i * 37 % 1000) / 4.0,
              Date.valueOf(LocalDate.parse("2026-11-01").plusDays(i % 5)),
              "order note " + i));
    }
    orders = dir.resolve("orders").toString();
    spark.createDataFrame(orderRows, orderSchema).repartition(3).write().parquet(orders);
    StructType customerSchema =
        new StructType()
            .add("customer_id", DataTypes.LongType, false)
            .add("name", DataTypes.StringType)
            .add("country", DataTypes.StringType)
            .add("note", DataTypes.StringType);
    List<Row> customerRows = new ArrayList<>();
    for (long i = 0; i < CUSTOMERS; i++) {
      customerRows.add(
          RowFactory.create(
              i,
              i % 9 == 0 ? null : "customer " + i,
              List.of("de", "fr", "it", "nl").get((int) (i % 4)),
              "customer note " + i));
    }
    customers = dir.resolve("customers").toString();
    spark.createDataFrame(customerRows, customerSchema).write().parquet(customers);
  }

  @Test
  void anInnerJoinOnKeysExportsWhatDuckDbJoins() throws Exception {
    RunResult result =
        run(
            "joined",
            """
            join { left = orders, right = customers, on = [customer_id], right-prefix = "customer_" }
            """);

    assertThat(
            exported(
                "joined",
                "customer_id, order_id, amount, day, note, customer_name,"
                    + " customer_country, customer_note"))
        .isNotEmpty()
        .containsExactlyElementsOf(
            duck(
                "SELECT customer_id, o.order_id, o.amount, o.day, o.note, c.name, c.country,"
                    + " c.note FROM "
                    + table(orders)
                    + " o JOIN "
                    + table(customers)
                    + " c USING (customer_id)"));
    Manifest manifest = result.manifest();
    assertThat(manifest.inputs())
        .extracting(Manifest.Input::name)
        .containsExactly("orders", "customers");
    assertThat(manifest.inputs())
        .extracting(Manifest.Input::rowsRead)
        .containsExactly((long) ORDERS, (long) CUSTOMERS);
    assertThat(manifest.inputs().get(1).source()).containsEntry("format", "parquet");
    assertThat(String.valueOf(manifest.inputs().get(1).source().get("path"))).endsWith("customers");
    assertThat(manifest.source()).isEqualTo(manifest.inputs().get(0).source());
    assertThat(manifest.totals().rowsRead()).isEqualTo(ORDERS + CUSTOMERS);
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(
                Files.readString(Path.of("docs", "manifest.schema.json")),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    assertThat(schema.validate(new ObjectMapper().readTree(manifest.toJson()))).isEmpty();
  }

  @Test
  void aLeftJoinKeepsEveryLeftRowWithNullsWhereTheRightHasNone() throws Exception {
    run(
        "left-joined",
        """
        join {
          left = orders, right = customers, on = [customer_id], type = left,
          broadcast = right, right-prefix = "c_"
        }
        """);

    List<List<String>> exported =
        exported("left-joined", "order_id, customer_id, amount, c_name, c_country");
    assertThat(exported).hasSize(ORDERS);
    assertThat(exported).anySatisfy(row -> assertThat(row.get(4)).isNull());
    assertThat(exported)
        .containsExactlyElementsOf(
            duck(
                "SELECT o.order_id, customer_id, o.amount, c.name, c.country FROM "
                    + table(orders)
                    + " o LEFT JOIN "
                    + table(customers)
                    + " c USING (customer_id)"));
  }

  @Test
  void explainShowsTheInputsTheJoinStepAndTheStrategySparkChose() {
    job(
        "explained",
        """
        join { left = orders, right = customers, on = [customer_id], type = left, broadcast = right, right-prefix = "c_" }
        """);

    String explained =
        io.lakeport.api.Lakeport.of(dir, Fixtures.site(), Clock.systemUTC())
            .job(dir.resolve("job.conf"))
            .explain(spark);

    assertThat(explained)
        .contains("sources:\n  orders: parquet " + orders + "\n  customers: parquet " + customers)
        .contains("  join orders with customers (left) on customer_id, broadcasting customers\n")
        .contains(
            "== Joins ==\nBroadcastHashJoin (left outer), builds the right side, sent to every"
                + " executor\n");
  }

  @Test
  void aConditionJoinThenAnAggregationMatchesDuckDb() throws Exception {
    run(
        "by-country",
        """
        join {
          left = orders, right = customers, type = inner,
          condition = "orders.customer_id = customers.customer_id and orders.amount > :floor",
          left-prefix = "o_", right-prefix = "c_"
        }
        aggregate {
          group-by = [c_country, o_day]
          metrics { orders = "count", revenue = "sum(o_amount)", buyers = "count_distinct(c_customer_id)" }
        }
        """,
        "params { floor = 50 }");

    assertThat(exported("by-country", "c_country, o_day, orders, revenue, buyers"))
        .containsExactlyElementsOf(
            duck(
                "SELECT c.country, o.day, count(*), sum(o.amount), count(DISTINCT c.customer_id)"
                    + " FROM "
                    + table(orders)
                    + " o JOIN "
                    + table(customers)
                    + " c ON o.customer_id = c.customer_id AND o.amount > 50 GROUP BY ALL"));
  }

  @Test
  void aUnionByNameOfInputsWithColumnsInAnotherOrderAndOneMissing() throws Exception {
    String moreOrders = dir.resolve("more-orders").toString();
    // the columns in another order, one of them missing
    spark
        .read()
        .parquet(orders)
        .where("order_id < 120")
        .selectExpr("note", "order_id + 10000 as order_id", "amount", "customer_id")
        .write()
        .parquet(moreOrders);
    RunResult result =
        runWith(
            "unioned",
            """
            sources {
              shop { format = parquet, path = "%s" }
              partner { format = parquet, path = "%s" }
            }
            plan.union { inputs = [shop, partner], allow-missing-columns = true }
            """
                .formatted(orders, moreOrders));

    assertThat(exported("unioned", "order_id, customer_id, amount, day, note"))
        .hasSize(ORDERS + 120)
        .containsExactlyElementsOf(
            duck(
                "SELECT order_id, customer_id, amount, day, note FROM (SELECT * FROM "
                    + table(orders)
                    + " UNION ALL BY NAME SELECT * FROM "
                    + table(moreOrders)
                    + ")"));
    assertThat(result.manifest().inputs())
        .extracting(Manifest.Input::rowsRead)
        .containsExactly((long) ORDERS, 120L);
  }

  @Test
  void aUnionOfTwoFeedsKeepsAWatermarkPerInput() {
    Path shop = dir.resolve("shop-events");
    Path partner = dir.resolve("partner-events");
    events(shop, 0, 50, "2026-11-01T00:00:00Z");
    events(partner, 1_000, 30, "2026-11-03T00:00:00Z");
    String body =
        """
        sources {
          shop { format = parquet, path = "%s" }
          partner { format = parquet, path = "%s" }
        }
        plan.union { inputs = [shop, partner] }
        incremental { mode = watermark, column = updated_at }
        sink { format = parquet, path = "%s", mode = append, on-empty = skip }
        """
            .formatted(shop, partner, dir.resolve("events"));
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    Manifest first = runner.run(Fixtures.job(dir, "name = events\n" + body, Map.of())).manifest();
    // the partner's clock is two days ahead: one watermark for both would skip the shop's new rows
    events(shop, 50, 20, "2026-11-02T00:00:00Z");
    events(partner, 1_030, 5, "2026-11-04T00:00:00Z");
    Manifest second = runner.run(Fixtures.job(dir, "name = events\n" + body, Map.of())).manifest();

    assertThat(first.totals().rows()).isEqualTo(80);
    assertThat(second.totals().rows()).isEqualTo(25);
    assertThat(second.inputs())
        .extracting(
            i -> i.name() + " after " + i.increment().after() + " up to " + i.increment().upTo())
        .containsExactly(
            "shop after "
                + first.inputs().get(0).increment().upTo()
                + " up to 2026-11-02T00:19:00Z",
            "partner after "
                + first.inputs().get(1).increment().upTo()
                + " up to 2026-11-04T00:04:00Z");
    assertThat(first.inputs().get(0).increment().upTo()).isEqualTo("2026-11-01T00:49:00Z");
    assertThat(
            spark.read().parquet(dir.resolve("events").toString()).select("id").distinct().count())
        .isEqualTo(105);
  }

  /** Appends {@code count} rows from id {@code from}, a minute apart from {@code start}. */
  private void events(Path folder, long from, int count, String start) {
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      rows.add(
          RowFactory.create(
              from + i, java.sql.Timestamp.from(Instant.parse(start).plusSeconds(60 * i))));
    }
    spark
        .createDataFrame(
            rows,
            new StructType()
                .add("id", DataTypes.LongType)
                .add("updated_at", DataTypes.TimestampType))
        .write()
        .mode("append")
        .parquet(folder.toString());
  }

  @Test
  void schemaMistakesOfAJoinAreNamedAtTheirLines() {
    JobSpec job =
        job(
            "broken",
            """
            join {
              left = orders
              right = customers
              on = [customer_id, country]
            }
            """);

    assertThatThrownBy(() -> new ExportRunner(spark, Clock.systemUTC()).run(job))
        .isInstanceOfSatisfying(
            JobConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::message)
                    .containsExactly(
                        line(7, "plan.join.on")
                            + ": join key \"country\" is not a column of input orders. Columns"
                            + " of orders: order_id, customer_id, amount, day, note.",
                        line(4, "plan.join")
                            + ": after joining orders with customers, column \"note\" would be"
                            + " there twice, once from each input. Set join.right-prefix ="
                            + " \"customers_\" (or left-prefix) so each input's columns keep their"
                            + " own names; select.rename then names them as the export should."));
    assertThat(dir.resolve("broken")).doesNotExist();
  }

  @Test
  void aUnionOfTypesThatCannotShareAColumnIsRefusedAtValidate() {
    String texts = dir.resolve("texts").toString();
    spark
        .read()
        .parquet(orders)
        .selectExpr("order_id", "named_struct('v', amount) as amount", "customer_id", "day", "note")
        .write()
        .parquet(texts);
    JobSpec job =
        Fixtures.job(
            dir,
            """
            name = clash
            sources {
              a { format = parquet, path = "%s" }
              b { format = parquet, path = "%s" }
            }
            plan.union { inputs = [a, b] }
            sink { format = parquet, path = "%s" }
            """
                .formatted(orders, texts, dir.resolve("clash")),
            Map.of());

    SchemaCheck.Result result = SchemaCheck.validate(spark, job);

    assertThat(result.problems())
        .singleElement()
        .extracting(ConfigProblem::message)
        .asString()
        .contains("plan.union.inputs")
        .contains(
            "inputs a and b cannot be one table: \"amount\" is double in a and struct<v:double> in b");
  }

  private String line(int line, String key) {
    return Fixtures.displayed(dir.resolve("job.conf")) + ":" + line + ": " + key;
  }

  private RunResult run(String name, String plan) {
    return run(name, plan, "");
  }

  private RunResult run(String name, String plan, String extra) {
    return new ExportRunner(spark, Clock.systemUTC()).run(job(name, plan, extra));
  }

  private RunResult runWith(String name, String body) {
    return new ExportRunner(spark, Clock.systemUTC())
        .run(
            Fixtures.job(
                dir,
                "name = "
                    + name
                    + "\n"
                    + body
                    + "sink { format = parquet, path = \""
                    + dir.resolve(name)
                    + "\" }\n",
                Map.of()));
  }

  private JobSpec job(String name, String plan) {
    return job(name, plan, "");
  }

  private JobSpec job(String name, String plan, String extra) {
    return Fixtures.job(
        dir,
        """
        name = %s
        sources { orders { format = parquet, path = "%s" }, customers { format = parquet, path = "%s" } }
        plan {
        %s}
        sink { format = parquet, path = "%s" }
        %s
        """
            .formatted(name, orders, customers, plan, dir.resolve(name), extra),
        Map.of());
  }

  private List<List<String>> exported(String name, String columns) throws Exception {
    return duck("SELECT " + columns + " FROM " + table(dir.resolve(name).toString()));
  }

  private static String table(String folder) {
    return "read_parquet('" + folder + "/**/*.parquet', hive_partitioning = true)";
  }

  /** The rows of a DuckDB query, as text, sorted. */
  private static List<List<String>> duck(String query) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement();
        ResultSet r = sql.executeQuery(query)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        List<String> row = new ArrayList<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          Object value = r.getObject(c);
          row.add(value == null ? null : String.valueOf(value));
        }
        rows.add(row);
      }
    }
    rows.sort(CombineSparkTest::compare);
    return rows;
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      String x = a.get(i);
      String y = b.get(i);
      int c = x == null ? (y == null ? 0 : -1) : y == null ? 1 : x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
