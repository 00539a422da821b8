package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import io.lakeport.failure.ExitCode;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Date;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs through {@link ExportRunner} on real files: partition folders, the manifest against
 * the files on disk (rows read back by Spark, SHA-256 recomputed in Java), re-runs that replace
 * instead of duplicating, text formats with quoted newlines, and Delta version pinning.
 */
class ExportRunSparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @Test
  void writesPartitionedParquetAndAManifestThatMatchesTheFiles() throws Exception {
    String source = deltaSource(100);
    JobSpec job =
        job(
            """
        name = orders-test
        params { run_date = null }
        source { format = delta, path = "%s" }
        plan.where = { column = day, gte = ${params.run_date} }
        sink { format = parquet, path = "%s", partition-by = [day], compression = zstd, max-records-per-file = 7 }
        """
                .formatted(source, dir.resolve("out")),
            Map.of("run_date", "2026-10-05"));

    RunResult result = new ExportRunner(spark, Clock.systemUTC()).run(job);

    Manifest m = result.manifest();
    long expected =
        spark.read().format("delta").load(source).where("day >= date'2026-10-05'").count();
    assertThat(expected).isBetween(1L, 99L);
    assertThat(m.totals().rows()).isEqualTo(expected);
    assertThat(m.totals().rowsRead()).isEqualTo(100);
    assertThat(m.source()).containsEntry("version", 0L);
    assertThat(m.params())
        .containsEntry("run_date", "2026-10-05")
        .containsEntry("window_end", "2026-10-06");
    assertThat(m.files()).allSatisfy(f -> assertThat(f.rows()).isBetween(1L, 7L));
    assertThat(m.files())
        .allSatisfy(
            f -> assertThat(f.path()).matches("day=2026-10-\\d\\d/part-.*\\.zstd\\.parquet"));
    assertManifestMatchesDisk(m, dir.resolve("out"), "parquet");
    assertThat(m.partitions()).allSatisfy(p -> assertThat(p.values()).containsOnlyKeys("day"));
    assertThat(m.files()).allSatisfy(f -> assertThat(f.uncompressedBytes()).isPositive());
    assertThat(m.totals().compressionRatio()).isPositive();
    assertThat(m.partitions().stream().mapToLong(Manifest.PartitionInfo::rows).sum())
        .isEqualTo(expected);
    assertThat(Path.of(URI.create(result.manifestPath().orElseThrow())))
        .exists()
        .hasParent(dir.resolve("out").resolve("_lakeport"));
    try (InputStream in =
        Files.newInputStream(Path.of(URI.create(result.manifestPath().orElseThrow())))) {
      assertThat(new String(Manifest.fromJson(in).toJson(), StandardCharsets.UTF_8))
          .isEqualTo(new String(m.toJson(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRerunReplacesItsPartitionsInsteadOfAddingToThem() throws Exception {
    String source = deltaSource(60);
    Path out = dir.resolve("out");
    String hocon =
        """
        name = rerun
        params { run_date = null }
        source { format = delta, path = "%s" }
        plan.where = { column = day, eq = ${params.run_date} }
        sink { format = json, path = "%s", partition-by = [day] }
        """
            .formatted(source, out);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    Manifest first = runner.run(job(hocon, Map.of("run_date", "2026-10-03"))).manifest();
    Manifest other = runner.run(job(hocon, Map.of("run_date", "2026-10-04"))).manifest();
    Manifest again = runner.run(job(hocon, Map.of("run_date", "2026-10-03"))).manifest();

    assertThat(again.totals().rows()).isEqualTo(first.totals().rows());
    Dataset<Row> exported = spark.read().json(out.toString());
    assertThat(exported.count()).isEqualTo(first.totals().rows() + other.totals().rows());
    assertThat(exported.select("id").distinct().count())
        .as("no duplicates")
        .isEqualTo(exported.count());
    assertThat(
            Files.list(out.resolve("day=2026-10-03"))
                .map(p -> p.getFileName().toString())
                .collect(Collectors.toSet()))
        .as("only the files of the last run remain")
        .isEqualTo(
            again.files().stream()
                .map(f -> f.path().substring(f.path().indexOf('/') + 1))
                .collect(Collectors.toSet()));
  }

  @Test
  void namesFilesFromTheTemplateAndStillReplacesPartitions() throws Exception {
    String source = deltaSource(30);
    Path out = dir.resolve("named");
    String hocon =
        """
        name = named
        params { first = null }
        param-types { first = date }
        source { format = delta, path = "%s" }
        plan.where = { column = day, gte = ${params.first} }
        sink { format = parquet, path = "%s", partition-by = [day], file-name = "{job}-{run}-{partition}-{part}" }
        """
            .formatted(source, out);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    runner.run(job(hocon, Map.of("first", "2026-10-01")));
    Manifest again = runner.run(job(hocon, Map.of("first", "2026-10-07"))).manifest();

    assertThat(again.files())
        .isNotEmpty()
        .allSatisfy(
            f ->
                assertThat(f.path())
                    .matches(
                        "day=2026-10-0[78]/named-"
                            + again.runId()
                            + "-day=2026-10-0[78]-\\d{5}\\.c000\\.snappy\\.parquet"));
    assertThat(
            Files.list(out.resolve("day=2026-10-07")).map(p -> p.getFileName().toString()).toList())
        .as("the re-run replaced the partition's files")
        .allMatch(name -> name.contains(again.runId()));
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(30);
    assertThat(again.files()).allSatisfy(f -> assertThat(out.resolve(f.path())).isRegularFile());
  }

  @Test
  void countsCsvRecordsWithQuotedNewlinesAndAHeader() throws Exception {
    Path input = dir.resolve("notes.json");
    Files.writeString(
        input,
        """
        {"id": 1, "note": "plain"}
        {"id": 2, "note": "two\\nlines"}
        {"id": 3, "note": "a \\"quoted\\" word"}
        {"id": 4, "note": "quote \\" and newline\\n at once"}
        {"id": 5, "note": null}
        """);
    JobSpec job =
        job(
            """
        name = notes
        source { format = json, path = "%s" }
        sink { format = csv, path = "%s", compression = zstd, options { header = true } }
        """
                .formatted(input, dir.resolve("csv")),
            Map.of());

    Manifest m = new ExportRunner(spark, Clock.systemUTC()).run(job).manifest();

    assertThat(m.totals().rows()).isEqualTo(5);
    assertManifestMatchesDisk(m, dir.resolve("csv"), "csv");
    long uncompressed = 0;
    for (OutputFile f : m.files()) {
      try (InputStream in =
          new ZstdInputStream(Files.newInputStream(dir.resolve("csv").resolve(f.path())))) {
        long size = in.readAllBytes().length;
        assertThat(f.uncompressedBytes()).as(f.path()).isEqualTo(size);
        uncompressed += size;
      }
    }
    assertThat(m.totals().uncompressedBytes()).isEqualTo(uncompressed);
    assertThat(m.totals().compressionRatio())
        .isCloseTo((double) m.totals().bytes() / uncompressed, Assertions.within(0.0001));
  }

  @Test
  void roundTripsAvroAndXmlWithPartitionsAndCompression() throws Exception {
    String source = deltaSource(40);
    for (String format : List.of("avro", "xml")) {
      Path out = dir.resolve(format);
      String options =
          format.equals("xml") ? ", options { row-tag = event, root-tag = events }" : "";
      Manifest m =
          new ExportRunner(spark, Clock.systemUTC())
              .run(
                  job(
                      """
          name = round-trip
          source { format = delta, path = "%s" }
          sink { format = %s, path = "%s", partition-by = [day], compression = %s%s }
          """
                          .formatted(
                              source, format, out, format.equals("xml") ? "gzip" : "zstd", options),
                      Map.of()))
              .manifest();

      Dataset<Row> back =
          spark.read().format(format).option("rowTag", "event").load(out.toString());
      assertThat(back.count()).as(format).isEqualTo(40);
      assertThat(m.totals().rows()).as(format).isEqualTo(40);
      assertThat(
              back.select("id", "name")
                  .except(spark.read().format("delta").load(source).select("id", "name"))
                  .count())
          .as(format + ": rows read back that the source does not have")
          .isZero();
      assertManifestMatchesDisk(m, out, format);

      String readOptions = format.equals("xml") ? ", options { row-tag = event }" : "";
      Manifest reread =
          new ExportRunner(spark, Clock.systemUTC())
              .run(
                  job(
                      """
          name = read-%s
          source { format = %s, path = "%s"%s }
          plan.where = { column = id, lt = 10 }
          sink { format = parquet, path = "%s" }
          """
                          .formatted(
                              format, format, out, readOptions, dir.resolve(format + "-read")),
                      Map.of()))
              .manifest();
      assertThat(reread.totals().rows()).as(format + " as a source").isEqualTo(10);
    }
  }

  @Test
  void readsThePinnedDeltaVersion() {
    String source = deltaSource(10);
    events(spark, 5).write().format("delta").mode("append").save(source);
    String hocon =
        """
        name = pinned
        source { format = delta, path = "%s"%s }
        sink { format = parquet, path = "%s" }
        """;

    Manifest pinned =
        new ExportRunner(spark, Clock.systemUTC())
            .run(job(hocon.formatted(source, ", version = 0", dir.resolve("v0")), Map.of()))
            .manifest();
    Manifest latest =
        new ExportRunner(spark, Clock.systemUTC())
            .run(job(hocon.formatted(source, "", dir.resolve("latest")), Map.of()))
            .manifest();

    assertThat(pinned.totals().rows()).isEqualTo(10);
    assertThat(pinned.source()).containsEntry("version", 0L);
    assertThat(latest.totals().rows()).isEqualTo(15);
    assertThat(latest.source()).containsEntry("version", 1L);
  }

  @Test
  void writeModesAppendOverwriteAndRefuse() {
    String source = deltaSource(20);
    Path out = dir.resolve("modes");
    String hocon =
        """
        name = modes
        params { day = null }
        param-types { day = date }
        source { format = delta, path = "%s" }
        plan.where = { column = day, eq = ${params.day} }
        sink { format = parquet, path = "%s", mode = %s }
        """;
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    long first =
        runner
            .run(job(hocon.formatted(source, out, "append"), Map.of("day", "2026-10-01")))
            .manifest()
            .totals()
            .rows();
    long second =
        runner
            .run(job(hocon.formatted(source, out, "append"), Map.of("day", "2026-10-02")))
            .manifest()
            .totals()
            .rows();
    assertThat(spark.read().parquet(out.toString()).count())
        .as("append keeps both")
        .isEqualTo(first + second);

    long replaced =
        runner
            .run(job(hocon.formatted(source, out, "overwrite"), Map.of("day", "2026-10-03")))
            .manifest()
            .totals()
            .rows();
    assertThat(spark.read().parquet(out.toString()).count())
        .as("overwrite replaces all")
        .isEqualTo(replaced);

    JobSpec refuse =
        job(hocon.formatted(source, out, "error-if-exists"), Map.of("day", "2026-10-04"));
    JobConfigException e = catchThrowableOfType(JobConfigException.class, () -> runner.run(refuse));
    assertThat(e)
        .hasMessage(
            Fixtures.displayed(dir.resolve("job.conf"))
                + ":6: sink: cannot write "
                + out
                + ": it already holds an export and sink.mode is error-if-exists."
                + " Choose another path, or set sink.mode to overwrite-partitions, overwrite or append.");
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(replaced);
  }

  @Test
  void aFolderLakeportDidNotWriteIsRefusedUntouchedUnlessTheJobTakesItOver() throws Exception {
    String source = deltaSource(20);
    Path out = Files.createDirectories(dir.resolve("someone-elses"));
    Files.writeString(out.resolve("report.xlsx"), "not Lakeport's");
    Files.createDirectories(out.resolve("2025")).resolve("notes.txt").toFile().createNewFile();
    String hocon =
        """
        name = taken
        source { format = delta, path = "%s" }
        sink { format = parquet, path = "%s", mode = %s%s }
        """;
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());

    for (String mode : List.of("overwrite", "overwrite-partitions", "append")) {
      JobConfigException e =
          catchThrowableOfType(
              JobConfigException.class,
              () -> runner.run(job(hocon.formatted(source, out, mode, ""), Map.of())));

      String consequence =
          mode.equals("append")
              ? "this job would write among them. Point sink.path at a new or empty folder, or set"
                  + " sink.take-over = true to let this job take the folder over."
              : "an overwrite would delete them. Point sink.path at a new or empty folder, or set"
                  + " sink.take-over = true to let this job take the folder over and replace what"
                  + " is there.";
      assertThat(e)
          .as(mode)
          .hasMessageStartingWith(
              Fixtures.displayed(dir.resolve("job.conf"))
                  + ":3: sink.path: sink path "
                  + out
                  + " holds files that Lakeport did not write (e.g. ")
          .hasMessageEndingWith("; there is no _lakeport/ folder): " + consequence);
      assertThat(ExitCode.of(e)).isEqualTo(ExitCode.USER);
      try (Stream<Path> left = Files.walk(out)) {
        assertThat(left.map(p -> out.relativize(p).toString()))
            .as("%s: nothing was written, moved or deleted", mode)
            .containsExactlyInAnyOrder("", "report.xlsx", "2025", "2025/notes.txt");
      }
      assertThat(out.resolve("report.xlsx")).hasContent("not Lakeport's");
    }

    long rows =
        runner
            .run(job(hocon.formatted(source, out, "overwrite", ", take-over = true"), Map.of()))
            .manifest()
            .totals()
            .rows();

    assertThat(rows).isEqualTo(20);
    assertThat(out.resolve("report.xlsx")).as("taken over: replaced").doesNotExist();
    assertThat(out.resolve("2025")).as("taken over: replaced").doesNotExist();
    assertThat(out.resolve("_lakeport/claimed-by")).exists();
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(20);
    long again =
        runner
            .run(job(hocon.formatted(source, out, "overwrite", ""), Map.of()))
            .manifest()
            .totals()
            .rows();
    assertThat(again).as("once Lakeport's, it needs no take-over").isEqualTo(20);
  }

  /**
   * The claim comes before any data: a first run that fails in its write still leaves the folder
   * marked as Lakeport's, and the next run is not refused.
   */
  @Test
  void aFirstRunClaimsTheFolderBeforeItWritesAndAFailedOneLeavesTheClaim() throws Exception {
    String source = deltaSource(30);
    Path out = dir.resolve("new-export");
    String hocon =
        """
        name = claimed
        source { format = delta, path = "%s" }
        plan.derive { checked = "%s" }
        sink { format = parquet, path = "%s", mode = overwrite }
        """;
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());

    Throwable failed =
        catchThrowable(
            () ->
                runner.run(
                    job(
                        hocon.formatted(source, "if(id = 7, raise_error('row 7'), id)", out),
                        Map.of())));

    assertThat(failed).hasStackTraceContaining("row 7");
    try (Stream<Path> left = Files.walk(out)) {
      assertThat(left.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()))
          .as("the claim and nothing else")
          .containsExactly("_lakeport/claimed-by");
    }
    JsonNode claim = new ObjectMapper().readTree(out.resolve("_lakeport/claimed-by").toFile());
    assertThat(claim.get("job").asText()).isEqualTo("claimed");
    long rows =
        runner.run(job(hocon.formatted(source, "id", out), Map.of())).manifest().totals().rows();
    assertThat(rows).isEqualTo(30);
    assertThat(new ObjectMapper().readTree(out.resolve("_lakeport/claimed-by").toFile()))
        .as("the first claim stays")
        .isEqualTo(claim);
  }

  @Test
  void readsACatalogTable() {
    events(spark, 12)
        .write()
        .format("delta")
        .mode("overwrite")
        .saveAsTable("lakeport_catalog_test");
    try {
      Manifest m =
          new ExportRunner(spark, Clock.systemUTC())
              .run(
                  job(
                      """
          name = catalog
          source { format = table, table = lakeport_catalog_test }
          plan.where = { column = id, lt = 5 }
          sink { format = json, path = "%s" }
          """
                          .formatted(dir.resolve("catalog")),
                      Map.of()))
              .manifest();

      assertThat(m.totals().rows()).isEqualTo(5);
      assertThat(m.source()).containsEntry("table", "lakeport_catalog_test");
    } finally {
      spark.sql("DROP TABLE IF EXISTS lakeport_catalog_test");
    }
  }

  @Test
  void aMissingSourceIsAConfigErrorNamingTheLine() {
    JobSpec job =
        job(
            """
        name = missing
        source {
          format = parquet
          path = "%s"
        }
        sink { format = parquet, path = "%s" }
        """
                .formatted(dir.resolve("nothing-here"), dir.resolve("out")),
            Map.of());

    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class, () -> new ExportRunner(spark, Clock.systemUTC()).run(job));

    assertThat(e.getMessage())
        .startsWith(
            Fixtures.displayed(dir.resolve("job.conf"))
                + ":2: source: cannot read "
                + dir.resolve("nothing-here")
                + ": [PATH_NOT_FOUND] Path does not exist: file:"
                + dir.resolve("nothing-here"));
    assertThat(dir.resolve("out")).doesNotExist();
  }

  /**
   * Every data file on disk is in the manifest, with its size, SHA-256 and rows as Spark reads
   * them.
   */
  private void assertManifestMatchesDisk(Manifest m, Path root, String format) throws Exception {
    Set<String> onDisk;
    try (Stream<Path> files = Files.walk(root)) {
      onDisk =
          files
              .filter(Files::isRegularFile)
              .map(p -> root.relativize(p).toString())
              .filter(
                  p ->
                      !p.startsWith("_")
                          && !p.contains("/_")
                          && !p.startsWith(".")
                          && !p.contains("/."))
              .collect(Collectors.toSet());
    }
    assertThat(m.files()).extracting(OutputFile::path).containsExactlyInAnyOrderElementsOf(onDisk);
    for (OutputFile f : m.files()) {
      Path file = root.resolve(f.path());
      assertThat(f.bytes()).isEqualTo(Files.size(file));
      assertThat(f.sha256())
          .isEqualTo(
              HexFormat.of()
                  .formatHex(
                      MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
      long rows =
          spark
              .read()
              .format(format)
              .option("header", "true")
              .option("multiLine", "true")
              .option("rowTag", "event")
              .load(file.toString())
              .count();
      assertThat(f.rows()).as(f.path()).isEqualTo(rows);
    }
    assertThat(m.totals().files()).isEqualTo(m.files().size());
    assertThat(m.totals().bytes()).isEqualTo(m.files().stream().mapToLong(OutputFile::bytes).sum());
  }

  private String deltaSource(int rows) {
    String path = dir.resolve("source").toString();
    events(spark, rows).write().format("delta").save(path);
    return path;
  }

  private static Dataset<Row> events(SparkSession spark, int rows) {
    return spark
        .range(rows)
        .select(
            functions.col("id"),
            functions
                .date_add(
                    functions.lit(Date.valueOf("2026-10-01")),
                    functions.col("id").mod(8).cast("int"))
                .as("day"),
            functions.concat(functions.lit("item-"), functions.col("id")).as("name"));
  }

  private JobSpec job(String hocon, Map<String, String> params) {
    return Fixtures.job(dir, hocon, params);
  }
}
