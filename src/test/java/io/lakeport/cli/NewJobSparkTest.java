package io.lakeport.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.TestSpark;
import io.lakeport.config.Site;
import io.lakeport.demo.DemoData;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job written by {@code lakeport new-job} on the demo tables, run by the scheduler for its slot
 * on the shared Spark session: the export holds exactly the orders of the slot's previous day,
 * partitioned by country, as Spark computes them from the table directly.
 */
class NewJobSparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @Test
  void aGeneratedDailyJobExportsYesterdaysOrdersAtItsSlot() {
    Path warehouse = dir.resolve("warehouse");
    Path exports = dir.resolve("exports");
    DemoData.createIfAbsent(spark, warehouse.toString());
    Path site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport { warehouse = \""
                + warehouse
                + "\", exports = \""
                + exports
                + "\", time-zone = UTC, history.url = \"jdbc:h2:file:"
                + dir.resolve("history/lakeport")
                + "\" }\n");
    Path job = dir.resolve("jobs/orders-daily.conf");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int written =
        Cli.lakeport(
            site,
            out,
            err,
            "new-job",
            "--name",
            "orders-daily",
            "--source",
            warehouse.resolve("orders").toString(),
            "--source-format",
            "parquet",
            "--date-column",
            "order_ts",
            "--sink-format",
            "parquet",
            "--partition-by",
            "country",
            "--every",
            "daily",
            "--run-time",
            "02:00",
            "--out",
            job.toString());
    TestClock clock = TestClock.at("2026-11-24T02:00:30Z");
    int ran =
        Lakeport.execute(
            clock,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "scheduler",
            "--site-conf=" + site,
            "start",
            "--once",
            job.toString());

    assertThat(written).as(err.toString()).isZero();
    assertThat(ran).as(err.toString()).isZero();
    try (HistoryStore history = HistoryStore.open(Site.load(Optional.of(site)).history(), clock)) {
      Run run =
          history
              .runLog()
              .runs(new RunFilter(Optional.of("orders-daily"), Optional.empty(), 10))
              .get(0);
      assertThat(run.status()).as(run.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.params()).containsEntry("run_date", "2026-11-23");
    }
    // the session is in UTC, the job's zone: these are the bounds of 23 November there
    Dataset<Row> expected =
        spark
            .read()
            .parquet(warehouse.resolve("orders").toString())
            .where(
                col("order_ts")
                    .geq(lit("2026-11-23 00:00:00").cast("timestamp"))
                    .and(col("order_ts").lt(lit("2026-11-24 00:00:00").cast("timestamp"))));
    Dataset<Row> exported = spark.read().parquet(exports.resolve("orders-daily").toString());
    Column[] columns =
        Arrays.stream(expected.columns()).map(name -> col(name)).toArray(Column[]::new);
    assertThat(expected.count()).isPositive();
    assertThat(exported.count()).isEqualTo(expected.count());
    assertThat(exported.select(columns).exceptAll(expected.select(columns)).count()).isZero();
    assertThat(expected.select(columns).exceptAll(exported.select(columns)).count()).isZero();
  }
}
