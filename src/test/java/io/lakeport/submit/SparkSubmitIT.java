package io.lakeport.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.config.HistorySettings;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark-submit of the built application jar, as on a stock Spark 4.1 installation: a child JVM runs
 * {@code org.apache.spark.deploy.SparkSubmit} with Spark's own jars on its class path plus the
 * application jar, nothing else of ours. The export is checked against counts computed here.
 */
class SparkSubmitIT {
  private static final int ROWS = 2_000;

  @TempDir Path dir;

  @Test
  void submitsTheApplicationJarAndWritesTheExport() throws Exception {
    Map<String, Long> expected = writeSource(dir.resolve("warehouse/sales.csv"));
    String history = "jdbc:h2:file:" + dir.resolve("history/lakeport");
    Path site =
        Files.writeString(
            dir.resolve("application.conf"),
            "lakeport { warehouse = \""
                + dir.resolve("warehouse")
                + "\", exports = \""
                + dir.resolve("exports")
                + "\", history.url = \""
                + history
                + "\" }\n");
    Path job =
        Files.writeString(
            dir.resolve("sales.conf"),
            """
        name = sales-submit
        params { min_amount = 500 }
        param-types { min_amount = int }
        source { format = csv, path = ${lakeport.warehouse}/sales.csv, options { header = true, infer-schema = true } }
        plan.where = { column = amount, gte = ${params.min_amount} }
        sink { format = parquet, path = ${lakeport.exports}/sales, partition-by = [day] }
        """);
    Path excelJob =
        Files.writeString(
            dir.resolve("sales-xlsx.conf"),
            Files.readString(job)
                .replace("name = sales-submit", "name = sales-xlsx")
                .replace(
                    "format = parquet, path = ${lakeport.exports}/sales,",
                    "format = excel, path = ${lakeport.exports}/sales-xlsx,"));

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        Arrays.asList(
            Files.readString(Path.of(System.getProperty("it.lakeport.jvm.flags")))
                .trim()
                .split("\\s+")));
    command.addAll(
        List.of(
            "-cp",
            String.join(File.pathSeparator, sparkJars()),
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            "--class",
            "io.lakeport.cli.Lakeport",
            System.getProperty("it.lakeport.jar"),
            "run",
            job.toString(),
            excelJob.toString(),
            "--param",
            "min_amount=500",
            "--site-conf",
            site.toString()));
    Path log = dir.resolve("submit.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }

    assertThat(finished).as("spark-submit finished in 5 minutes").isTrue();
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    assertExported(dir.resolve("exports/sales"), expected);
    assertThat(Files.readString(log)).contains("job sales-submit run ");
    assertExported(dir.resolve("exports/sales-xlsx"), expected);
    assertThat(Files.readString(log))
        .contains("job sales-xlsx run ")
        .doesNotContain("warning: Cannot");
    assertRecorded(history, expected.values().stream().mapToLong(Long::longValue).sum());
  }

  /**
   * Both runs are in the run history the jar wrote (H2 and Flyway from the shaded jar), succeeded
   * with their rows.
   */
  private static void assertRecorded(String url, long rows) {
    HistorySettings settings =
        new HistorySettings(
            url,
            HistorySettings.Database.H2,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Duration.ofMinutes(5),
            Optional.empty());
    try (HistoryStore history = HistoryStore.open(settings, Clock.systemUTC())) {
      assertThat(history.runLog().runs(new RunFilter(Optional.empty(), Optional.empty(), 10)))
          .extracting(Run::job, Run::status, Run::rows)
          .containsExactlyInAnyOrder(
              tuple("sales-submit", RunStatus.SUCCEEDED, Optional.of(rows)),
              tuple("sales-xlsx", RunStatus.SUCCEEDED, Optional.of(rows)));
    }
  }

  /**
   * The manifest's rows per day are the expected ones; every file it lists exists (workbooks as POI
   * reads them).
   */
  private static void assertExported(Path export, Map<String, Long> expected) throws Exception {
    JsonNode manifest = manifest(export.resolve("_lakeport"));
    Map<String, Long> partitions = new TreeMap<>();
    manifest
        .get("partitions")
        .forEach(p -> partitions.put(p.get("values").get("day").asText(), p.get("rows").asLong()));
    assertThat(partitions).as(export.toString()).isEqualTo(expected);
    for (JsonNode file : manifest.get("files")) {
      Path path = export.resolve(file.get("path").asText());
      assertThat(path).isRegularFile();
      if (path.toString().endsWith(".xlsx")) {
        try (InputStream in = Files.newInputStream(path);
            XSSFWorkbook workbook = new XSSFWorkbook(in)) {
          assertThat(workbook.getSheet("export").getLastRowNum())
              .as(path.toString())
              .isEqualTo(file.get("rows").asInt());
        }
      }
    }
  }

  /**
   * Spark's own jars: Spark, Scala and Hadoop, without the object-storage extras or anything of
   * Lakeport's.
   */
  private static List<String> sparkJars() throws IOException {
    List<String> jars =
        Arrays.stream(
                Files.readString(Path.of(System.getProperty("it.lakeport.spark.classpath")))
                    .trim()
                    .split(File.pathSeparator))
            .filter(
                p ->
                    !p.contains("spark-hadoop-cloud")
                        && !p.contains("hadoop-aws")
                        && !p.contains("software/amazon"))
            .collect(Collectors.toList());
    assertThat(jars)
        .anyMatch(p -> p.contains("spark-sql_2.13"))
        .noneMatch(
            p ->
                p.contains("delta")
                    || p.contains("typesafe")
                    || p.contains("picocli")
                    || p.contains("/poi")
                    || p.contains("flyway")
                    || p.contains("h2database")
                    || p.contains("postgresql")
                    || p.contains("target/classes"));
    return jars;
  }

  /** Writes sales rows and returns, per day, how many have an amount of at least 500. */
  private static Map<String, Long> writeSource(Path csv) throws IOException {
    Files.createDirectories(csv.getParent());
    StringBuilder text = new StringBuilder("id,day,amount\n");
    Map<String, Long> expected = new TreeMap<>();
    for (int i = 0; i < ROWS; i++) {
      String day = "2026-11-" + (10 + i % 5);
      int amount = (i * 7919) % 1000;
      text.append(i).append(',').append(day).append(',').append(amount).append('\n');
      if (amount >= 500) {
        expected.merge(day, 1L, Long::sum);
      }
    }
    Files.writeString(csv, text);
    return expected;
  }

  private static JsonNode manifest(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> manifests =
          files.filter(p -> p.getFileName().toString().startsWith("manifest-")).toList();
      assertThat(manifests).hasSize(1);
      return new ObjectMapper().readTree(manifests.get(0).toFile());
    }
  }
}
