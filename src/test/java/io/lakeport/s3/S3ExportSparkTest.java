package io.lakeport.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobSpec;
import io.lakeport.fault.Failpoints;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.run.ExportRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports to S3 through s3a, against a real S3-protocol server on 127.0.0.1 (s3proxy, started
 * here). The objects the server stored are checked on its disk, independently of s3a: every file of
 * the manifest with its SHA-256, the manifest itself, and the committer that wrote them.
 */
class S3ExportSparkTest {
  private static final String BUCKET = "lakeport";

  /** A bucket whose objects are uploaded in 5 MB parts. */
  private static final String BIG = "big-objects";

  private static S3Server server;
  private final SparkSession spark = TestSpark.session();

  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Server.start(shared.resolve("s3"), BUCKET, BIG);
    Configuration s3a = TestSpark.session().sparkContext().hadoopConfiguration();
    s3a.set("fs.s3a.endpoint", server.endpoint());
    s3a.set("fs.s3a.endpoint.region", "us-east-1");
    s3a.set("fs.s3a.path.style.access", "true");
    s3a.set("fs.s3a.connection.ssl.enabled", "false");
    s3a.set(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s3a.set("fs.s3a.access.key", S3Server.ACCESS_KEY);
    s3a.set("fs.s3a.secret.key", S3Server.SECRET_KEY);
    // Read when the bucket's file system is created, so set before any use of it.
    s3a.set("fs.s3a.bucket." + BIG + ".multipart.size", "5M");
    // the committers write their job summary here, not as _SUCCESS (Lakeport writes that, last)
    s3a.set(
        "fs.s3a.committer.summary.report.directory",
        shared.resolve("committer-reports").toUri().toString());
  }

  /**
   * The summary of the newest job the S3A committers committed, as {@code _SUCCESS} would have held
   * it.
   */
  private static JsonNode lastCommitterSummary() throws IOException {
    try (Stream<Path> reports = Files.list(shared.resolve("committer-reports"))) {
      Path newest =
          reports
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .max(Comparator.comparing(p -> p.toFile().lastModified()))
              .orElseThrow();
      return new ObjectMapper().readTree(newest.toFile());
    }
  }

  /**
   * Lakeport's _SUCCESS at an export: the run, its manifest, files and rows, written after the
   * manifest.
   */
  private static void assertLakeportSuccess(Path stored, Manifest m) throws IOException {
    JsonNode success = new ObjectMapper().readTree(stored.resolve("_SUCCESS").toFile());
    assertThat(success.get("run_id").asText()).isEqualTo(m.runId());
    assertThat(success.get("manifest").asText()).isEqualTo("manifest-" + m.runId() + ".json");
    assertThat(success.get("rows").asLong()).isEqualTo(m.totals().rows());
    assertThat(success.has("committer"))
        .as("the committer's own _SUCCESS is not written")
        .isFalse();
  }

  /** Loads a job with the bucket as the site's exports root. */
  private static JobSpec s3Job(Path dir, String hocon, Map<String, String> params) {
    return Fixtures.job(dir, hocon, params, Fixtures.site(dir, "s3a://" + BUCKET));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void overwritePartitionsReplacesOnlyThePartitionsWritten() throws Exception {
    String source = dir.resolve("source").toString();
    spark
        .range(60)
        .select(functions.col("id"), functions.col("id").mod(3).as("part"))
        .write()
        .parquet(source);
    String job =
        """
        name = s3-partitions
        source { format = parquet, path = "%s" }
        plan.where = "%s"
        sink { format = json, path = "s3a://%s/exports/partitions", partition-by = [part] }
        """;
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    runner.run(s3Job(dir, job.formatted(source, "true", BUCKET), Map.of()));
    Manifest again =
        runner
            .run(s3Job(dir, job.formatted(source, "part = 1 AND id < 30", BUCKET), Map.of()))
            .manifest();

    assertThat(again.totals().rows()).isEqualTo(10);
    Dataset<Row> exported = spark.read().json("s3a://" + BUCKET + "/exports/partitions");
    assertThat(exported.where("part = 1").count()).as("partition 1 replaced").isEqualTo(10);
    assertThat(exported.where("part != 1").count()).as("partitions 0 and 2 kept").isEqualTo(40);
    Path stored = server.root().resolve(BUCKET).resolve("exports/partitions/part=1");
    try (Stream<Path> files = Files.list(stored)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              again.files().stream().map(f -> f.path().substring("part=1/".length())).toList());
    }
  }

  @Test
  void aRunRemovesWhatAKilledAttemptsMagicCommitterLeft() throws Exception {
    String source = dir.resolve("source").toString();
    spark.range(30).write().parquet(source);
    Path leftover =
        server
            .root()
            .resolve(BUCKET)
            .resolve("exports/killed/__magic_job-0123/tasks/part-0000.parquet.pending");
    Files.createDirectories(leftover.getParent());
    Files.writeString(leftover, "{}");

    Manifest m =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                s3Job(
                    dir,
                    """
        name = s3-after-kill
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "s3a://%s/exports/killed", mode = append }
        """
                        .formatted(source, BUCKET),
                    Map.of()))
            .manifest();

    assertThat(m.totals().rows()).isEqualTo(30);
    try (Stream<Path> stored =
        Files.walk(server.root().resolve(BUCKET).resolve("exports/killed"))) {
      assertThat(stored.map(Path::toString)).noneMatch(p -> p.contains("__magic"));
    }
  }

  @Test
  void theConfiguredCommitterIsTheOneThatCommits() throws Exception {
    Configuration s3a = spark.sparkContext().hadoopConfiguration();
    String source = dir.resolve("source").toString();
    spark.range(20).write().parquet(source);
    String configured = s3a.get("fs.s3a.committer.name", "magic");
    s3a.set("fs.s3a.committer.name", "directory");
    try {
      new ExportRunner(spark, Clock.systemUTC())
          .run(
              s3Job(
                  dir,
                  """
          name = s3-directory
          source { format = parquet, path = "%s" }
          sink { format = parquet, path = "s3a://%s/exports/directory", mode = overwrite }
          """
                      .formatted(source, BUCKET),
                  Map.of()));
    } finally {
      // set, not unset: the s3a file system keeps the value it was created with as the fallback
      s3a.set("fs.s3a.committer.name", configured);
    }
    assertThat(lastCommitterSummary().get("committer").asText()).isEqualTo("directory");
  }

  @Test
  void aTaskThatFailsMidWriteLeavesNoDataFiles() throws Exception {
    String source = dir.resolve("source").toString();
    spark.range(1000).repartition(4).write().parquet(source);

    Throwable failure =
        Assertions.catchThrowable(
            () ->
                new ExportRunner(spark, Clock.systemUTC())
                    .run(
                        s3Job(
                            dir,
                            """
            name = s3-failing
            source { format = parquet, path = "%s" }
            plan.derive { checked = "if(id = 777, raise_error('row 777 is bad'), id)" }
            sink { format = parquet, path = "s3a://%s/exports/failing", mode = overwrite }
            """
                                .formatted(source, BUCKET),
                            Map.of())));

    assertThat(failure).hasStackTraceContaining("row 777 is bad");
    Path stored = server.root().resolve(BUCKET).resolve("exports/failing");
    if (Files.exists(stored)) {
      try (Stream<Path> files = Files.walk(stored)) {
        assertThat(files.filter(Files::isRegularFile).map(p -> stored.relativize(p).toString()))
            .as("no data file and no manifest reached the destination")
            .noneMatch(p -> p.contains("part-") || p.contains("manifest"));
      }
    }
  }

  @Test
  void everyFormatRoundTripsThroughS3AndDuckDbReadsWhatTheServerStored() throws Exception {
    String source = dir.resolve("source").toString();
    spark
        .range(120)
        .select(
            functions.col("id"),
            functions.concat(functions.lit("name-"), functions.col("id")).as("name"),
            functions.col("id").mod(4).as("part"))
        .write()
        .parquet(source);
    Map<String, String> sinks =
        Map.of(
            "parquet", "compression = zstd",
            "csv", "compression = gzip, options { header = true }",
            "json", "compression = zstd",
            "avro", "compression = snappy",
            "xml", "options { row-tag = row }",
            "delta", "");
    for (Map.Entry<String, String> sink : sinks.entrySet()) {
      String format = sink.getKey();
      String out = "s3a://" + BUCKET + "/formats/" + format;
      Manifest m =
          new ExportRunner(spark, Clock.systemUTC())
              .run(
                  s3Job(
                      dir,
                      """
          name = s3-%s
          source { format = parquet, path = "%s" }
          sink { format = %s, path = "%s", partition-by = [part], mode = overwrite, %s }
          """
                          .formatted(format, source, format, out, sink.getValue()),
                      Map.of()))
              .manifest();

      assertThat(m.totals().rows()).as(format).isEqualTo(120);
      Dataset<Row> back =
          spark.read().format(format).option("header", "true").option("rowTag", "row").load(out);
      assertThat(back.count()).as(format + " read back through s3a").isEqualTo(120);
      for (OutputFile f : m.files()) {
        assertThat(server.root().resolve(BUCKET).resolve("formats/" + format).resolve(f.path()))
            .as(format)
            .isRegularFile();
      }
    }
    Manifest fromS3 =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                s3Job(
                    dir,
                    """
        name = s3-source
        source { format = avro, path = "s3a://%s/formats/avro" }
        plan.where = { column = part, eq = 2 }
        sink { format = parquet, path = "s3a://%s/formats/from-avro", mode = overwrite }
        """
                        .formatted(BUCKET, BUCKET),
                    Map.of()))
            .manifest();
    assertThat(fromS3.totals().rows()).as("an S3 source").isEqualTo(30);
    assertThat(fromS3.source()).containsEntry("path", "s3a://" + BUCKET + "/formats/avro");

    Path stored = server.root().resolve(BUCKET).resolve("formats");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      for (String table :
          List.of(
              "read_parquet('" + stored + "/parquet/*/*.parquet', hive_partitioning = true)",
              "read_csv('" + stored + "/csv/*/*.csv.gz', header = true, hive_partitioning = true)",
              "read_json('"
                  + stored
                  + "/json/*/*.json.zst', format = 'newline_delimited', hive_partitioning = true)")) {
        try (ResultSet r =
            sql.executeQuery(
                "SELECT count(*), count(DISTINCT id), sum(id), "
                    + "count(*) FILTER (WHERE name = 'name-' || id AND part = id % 4) FROM "
                    + table)) {
          r.next();
          assertThat(List.of(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)))
              .as(table)
              .containsExactly(120L, 120L, 119L * 120 / 2, 120L);
        }
      }
    }
  }

  @Test
  void listsExportsOfManyObjectsAcrossListingPages() throws Exception {
    Configuration s3a = spark.sparkContext().hadoopConfiguration();
    String source = dir.resolve("source").toString();
    spark
        .range(360)
        .select(functions.col("id"), functions.col("id").mod(6).as("part"))
        .write()
        .parquet(source);
    String pageSize = s3a.get("fs.s3a.paging.maximum");
    s3a.set("fs.s3a.paging.maximum", "20");
    Manifest m;
    try {
      m =
          new ExportRunner(spark, Clock.systemUTC())
              .run(
                  s3Job(
                      dir,
                      """
          name = s3-many
          source { format = parquet, path = "%s" }
          sink { format = csv, path = "s3a://%s/exports/many", partition-by = [part], mode = overwrite,
                 max-records-per-file = 4 }
          """
                          .formatted(source, BUCKET),
                      Map.of()))
              .manifest();
    } finally {
      s3a.set("fs.s3a.paging.maximum", pageSize == null ? "5000" : pageSize);
    }

    Path stored = server.root().resolve(BUCKET).resolve("exports/many");
    long onServer;
    try (Stream<Path> files = Files.walk(stored)) {
      onServer = files.filter(p -> p.getFileName().toString().startsWith("part-")).count();
    }
    assertThat(onServer).as("objects over several listing pages").isEqualTo(90);
    assertThat(m.files()).hasSize((int) onServer);
    assertThat(m.totals().rows()).isEqualTo(360);
  }

  @Test
  void filesLargerThanThePartSizeGoUpInSeveralPartsAndArriveWhole() throws Exception {
    Configuration s3a = spark.sparkContext().hadoopConfiguration();
    String source = dir.resolve("source").toString();
    spark
        .range(400_000)
        .select(
            functions.col("id"), functions.sha1(functions.col("id").cast("string")).as("digest"))
        .coalesce(1)
        .write()
        .parquet(source);
    Manifest m =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                Fixtures.job(
                    dir,
                    """
        name = s3-multipart
        source { format = parquet, path = "%s" }
        sink { format = csv, path = "s3a://%s/exports/multipart", mode = overwrite }
        """
                        .formatted(source, BIG),
                    Map.of(),
                    Fixtures.site(dir, "s3a://" + BIG)))
            .manifest();

    assertThat(m.files()).hasSize(1);
    OutputFile file = m.files().get(0);
    assertThat(file.bytes()).as("larger than two parts").isGreaterThan(10L << 20);
    byte[] stored =
        Files.readAllBytes(
            server.root().resolve(BIG).resolve("exports/multipart").resolve(file.path()));
    assertThat(file.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
    org.apache.hadoop.fs.Path object =
        new org.apache.hadoop.fs.Path("s3a://" + BIG + "/exports/multipart/" + file.path());
    String etag =
        ((org.apache.hadoop.fs.s3a.S3AFileStatus) object.getFileSystem(s3a).getFileStatus(object))
            .getEtag();
    assertThat(etag)
        .as("a multipart upload's ETag ends in -<parts>")
        .matches("\"?[0-9a-f]+-[3-9]\"?");
  }

  @Test
  void writesPartitionedParquetWithTheMagicCommitterAndAManifest() throws Exception {
    String source = dir.resolve("source").toString();
    spark
        .range(300)
        .select(functions.col("id"), functions.col("id").mod(3).as("part"))
        .write()
        .parquet(source);
    Path stored = server.root().resolve(BUCKET).resolve("exports/parquet");
    List<Boolean> successBeforeManifest = new ArrayList<>();
    Failpoints.install(
        Failpoints.STAGED,
        () -> successBeforeManifest.add(Files.exists(stored.resolve("_SUCCESS"))));

    Manifest m =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                s3Job(
                    dir,
                    """
        name = s3-parquet
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "s3a://%s/exports/parquet", partition-by = [part], mode = overwrite }
        """
                        .formatted(source, BUCKET),
                    Map.of()))
            .manifest();
    Failpoints.clear();

    assertThat(successBeforeManifest)
        .as("no _SUCCESS once the committer has committed, before the manifest")
        .containsExactly(false);
    assertThat(m.totals().rows()).isEqualTo(300);
    assertThat(m.files()).isNotEmpty();
    for (OutputFile f : m.files()) {
      byte[] bytes = Files.readAllBytes(stored.resolve(f.path()));
      assertThat(f.bytes()).isEqualTo(bytes.length);
      assertThat(f.sha256())
          .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }
    try (Stream<Path> manifests = Files.list(stored.resolve("_lakeport"))) {
      assertThat(manifests.map(p -> p.getFileName().toString()))
          .as("the folder's claim, written before the data, and the run's manifest")
          .containsExactlyInAnyOrder("claimed-by", "manifest-" + m.runId() + ".json");
    }
    assertThat(lastCommitterSummary().get("committer").asText()).isEqualTo("magic");
    assertLakeportSuccess(stored, m);
    assertThat(spark.read().parquet("s3a://" + BUCKET + "/exports/parquet").count()).isEqualTo(300);
  }
}
