package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention of a Delta sink goes through Delta: the plan lists what VACUUM would delete (the data
 * files the current version no longer references), apply vacuums exactly those and sets the table's
 * log retention; the table still reads the same rows.
 */
class DeltaRetentionSparkTest {
  private static final String CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";

  @TempDir Path dir;

  @AfterEach
  void restoreCheck() {
    TestSpark.session().conf().unset(CHECK);
  }

  @Test
  void vacuumsUnreferencedFilesAndSetsLogRetention() throws Exception {
    SparkSession spark = TestSpark.session();
    // this test vacuums with a zero retention, which Delta refuses unless its check is off
    spark.conf().set(CHECK, "false");
    Path table = dir.resolve("orders");
    spark.range(0, 100).repartition(2).write().format("delta").save(table.toString());
    spark
        .range(100, 150)
        .repartition(2)
        .write()
        .format("delta")
        .mode("overwrite")
        .save(table.toString());
    Set<String> referenced =
        Arrays.stream(spark.read().format("delta").load(table.toString()).inputFiles())
            .map(f -> Path.of(URI.create(f)).getFileName().toString())
            .collect(Collectors.toSet());
    Set<String> unreferenced =
        parquetFiles(table).stream()
            .filter(f -> !referenced.contains(f))
            .collect(Collectors.toSet());
    assertThat(unreferenced).as("the first version's files").isNotEmpty();

    JobSpec job =
        Fixtures.job(
            dir,
            """
        name = orders
        source { format = parquet, path = /in }
        sink { format = delta, path = "%s" }
        retention.delta { vacuum-retain = 0h, log-retention = 30d }
        """
                .formatted(table),
            Map.of());
    Retention retention =
        new Retention(spark.sparkContext().hadoopConfiguration(), Clock.systemUTC(), () -> spark);

    RetentionPlan plan = retention.plan(job, Map.of());
    assertThat(plan.delta())
        .hasValueSatisfying(
            delta -> {
              assertThat(delta.filesToVacuum())
                  .extracting(f -> Path.of(URI.create(f).getPath()).getFileName().toString())
                  .containsExactlyInAnyOrderElementsOf(unreferenced);
              assertThat(delta.wantedLogRetention()).contains("interval 30 days");
            });
    assertThat(parquetFiles(table)).as("plan changes nothing").containsAll(unreferenced);

    retention.apply(job, Map.of());

    assertThat(parquetFiles(table)).containsExactlyInAnyOrderElementsOf(referenced);
    List<Long> ids =
        spark.read().format("delta").load(table.toString()).orderBy("id").collectAsList().stream()
            .map(r -> r.getLong(0))
            .toList();
    assertThat(ids).containsExactlyElementsOf(LongStream.range(100, 150).boxed().toList());
    Row detail = DeltaTable.forPath(spark, table.toString()).detail().select("properties").first();
    assertThat(detail.getJavaMap(0))
        .containsEntry("delta.logRetentionDuration", "interval 30 days");
  }

  private static List<String> parquetFiles(Path table) throws Exception {
    try (Stream<Path> files = Files.list(table)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .toList();
    }
  }
}
