package io.lakeport.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.Site;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.run.ExportRunner;
import io.lakeport.s3.RecordingProxy.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side encryption configured in {@code lakeport.s3}, checked on the wire. s3a talks to a
 * real S3 server (s3proxy) through {@link RecordingProxy}: a real TCP relay in front of the real
 * server, not a mock, that forwards every byte unchanged and records the request heads, so the test
 * sees exactly the headers s3a sent and the server answered. s3proxy's in-memory store is used
 * because it accepts SSE-S3 and SSE-KMS headers and reports them back on the objects (encrypting
 * nothing); its filesystem store refuses any request carrying them with 501 NotImplemented
 * ("Server-side encryption is not supported."), which would fail the export at its first write.
 *
 * <p>The two buckets are configured by a {@code lakeport.s3} block read like any site settings and
 * translated by {@code S3Settings.hadoopSettings()}; only its {@code fs.s3a.bucket.<bucket>.*} part
 * is applied to the shared session, so S3ExportSparkTest's buckets in the same JVM keep their own
 * settings.
 */
class S3EncryptionSparkTest {
  private static final String SSE_S3 = "sse-s3";
  private static final String SSE_KMS = "sse-kms";
  private static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/lakeport-test";
  private static final String ALGORITHM_HEADER = "x-amz-server-side-encryption";
  private static final String KEY_HEADER = "x-amz-server-side-encryption-aws-kms-key-id";

  /** The zero-byte object the magic committer leaves at a task's file path (s3a's own header). */
  private static final String MAGIC_MARKER_HEADER = "x-amz-meta-x-hadoop-s3a-magic-data-length";

  private static S3Server server;
  private static RecordingProxy proxy;
  private final SparkSession spark = TestSpark.session();

  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = S3Server.start(S3Server.Storage.IN_MEMORY, shared.resolve("s3"), SSE_S3, SSE_KMS);
    proxy = RecordingProxy.start(server.port());
    Path site =
        Fixtures.write(
            shared,
            "application.conf",
            """
        lakeport.s3.buckets {
          %1$s { endpoint = "%3$s", region = us-east-1, path-style-access = true, encryption.algorithm = SSE-S3 }
          %2$s {
            endpoint = "%3$s", region = us-east-1, path-style-access = true
            encryption { algorithm = SSE-KMS, kms-key-id = "%4$s" }
          }
        }
        """
                .formatted(SSE_S3, SSE_KMS, proxy.endpoint(), KMS_KEY));
    Configuration hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
    Site.load(Optional.of(site))
        .s3()
        .hadoopSettings()
        .forEach(
            (key, value) -> {
              if (key.startsWith("fs.s3a.bucket.")) {
                hadoop.set(key, value);
              }
            });
    for (String bucket : List.of(SSE_S3, SSE_KMS)) {
      String prefix = "fs.s3a.bucket." + bucket + ".";
      // The test server's static keys: lakeport.s3 refuses keys by design, so they are set here.
      hadoop.set(
          prefix + "aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      hadoop.set(prefix + "access.key", S3Server.ACCESS_KEY);
      hadoop.set(prefix + "secret.key", S3Server.SECRET_KEY);
      // Stays well under the relay's bound on open connections.
      hadoop.set(prefix + "connection.maximum", "8");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sseS3SendsAes256WithEveryObjectS3aCreates() throws Exception {
    Manifest m = exportAndCompare(SSE_S3);

    assertEncrypted(SSE_S3, m, Map.of(ALGORITHM_HEADER, "AES256"));
    assertThat(creations(SSE_S3))
        .as("no KMS key without SSE-KMS")
        .noneMatch(r -> r.headers().containsKey(KEY_HEADER));
  }

  @Test
  void sseKmsSendsTheKeyIdWithEveryObjectS3aCreates() throws Exception {
    Manifest m = exportAndCompare(SSE_KMS);

    assertEncrypted(SSE_KMS, m, Map.of(ALGORITHM_HEADER, "aws:kms", KEY_HEADER, KMS_KEY));
  }

  /**
   * Exports through Lakeport (magic committer) and checks that the rows read back are the rows
   * written.
   */
  private Manifest exportAndCompare(String bucket) {
    String source = dir.resolve("source").toString();
    Dataset<Row> written =
        spark
            .range(2000)
            .select(
                functions.col("id"),
                functions.concat(functions.lit("name-"), functions.col("id")).as("name"),
                functions.col("id").mod(2).as("part"));
    written.repartition(2).write().parquet(source);
    String out = "s3a://" + bucket + "/exports/orders";

    Manifest m =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                Fixtures.job(
                    dir,
                    """
        name = encrypted-%s
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s", partition-by = [part], mode = overwrite }
        """
                        .formatted(bucket, source, out),
                    Map.of(),
                    Fixtures.site(dir, "s3a://" + bucket)))
            .manifest();

    Dataset<Row> back = spark.read().parquet(out).select("id", "name", "part");
    assertThat(m.totals().rows()).isEqualTo(2000);
    assertThat(back.count()).isEqualTo(2000);
    assertThat(written.exceptAll(back).count()).as("rows written but not read back").isZero();
    assertThat(back.exceptAll(written).count()).as("rows read back but not written").isZero();
    return m;
  }

  /**
   * Every request of the bucket that creates an object carries {@code expected}: PUT Object (data,
   * directory markers, the magic committer's markers and .pending files, _SUCCESS, the manifest),
   * CopyObject (the manifest's rename) and the POST ?uploads that starts a multipart upload.
   * UploadPart PUTs carry none: S3 takes a multipart object's encryption from its initiation and
   * accepts only SSE-C headers on parts.
   */
  private void assertEncrypted(String bucket, Manifest m, Map<String, String> expected)
      throws Exception {
    assertThat(proxy.problems()).as("every byte through the relay was read as HTTP/1.1").isEmpty();
    assertThat(proxy.refused()).isZero();
    String out = "/" + bucket + "/exports/orders/";
    List<Request> creations = creations(bucket);
    List<String> dataFiles = m.files().stream().map(f -> out + f.path()).toList();

    assertThat(creations)
        .filteredOn(r -> r.method().equals("POST"))
        .extracting(Request::path)
        .as("a multipart upload per data file")
        .containsAll(dataFiles);
    assertThat(creations)
        .extracting(Request::path)
        .as("the commit's and Lakeport's own objects")
        .contains(out + "_SUCCESS", out + "_lakeport/manifest-" + m.runId() + ".json");
    assertThat(creations)
        .as("s3a does not skip the magic committer's marker objects")
        .anyMatch(r -> r.headers().containsKey(MAGIC_MARKER_HEADER));
    assertThat(creations)
        .as("the manifest's rename is a copy")
        .anyMatch(r -> r.headers().containsKey("x-amz-copy-source"));
    for (Request creation : creations) {
      expected.forEach(
          (header, value) ->
              assertThat(creation.header(header)).as(creation + " " + header).contains(value));
    }

    List<Request> parts =
        requests(bucket).stream()
            .filter(r -> r.method().equals("PUT") && r.hasParameter("partNumber"))
            .toList();
    assertThat(parts)
        .as("parts uploaded")
        .isNotEmpty()
        .allSatisfy(part -> assertThat(part.headers()).doesNotContainKey(ALGORITHM_HEADER));

    FileSystem fs =
        new org.apache.hadoop.fs.Path("s3a://" + bucket + "/")
            .getFileSystem(spark.sparkContext().hadoopConfiguration());
    for (OutputFile file : m.files()) {
      org.apache.hadoop.fs.Path path =
          new org.apache.hadoop.fs.Path("s3a://" + bucket + "/exports/orders/" + file.path());
      assertThat(
              new String(fs.getXAttr(path, "header." + ALGORITHM_HEADER), StandardCharsets.UTF_8))
          .as("the encryption the server reports for " + file.path())
          .isEqualTo(expected.get(ALGORITHM_HEADER));
    }
  }

  /**
   * PUT (object or copy, not UploadPart) and POST ?uploads (CreateMultipartUpload) of the bucket.
   */
  private static List<Request> creations(String bucket) {
    return requests(bucket).stream()
        .filter(
            r ->
                r.method().equals("PUT")
                        && !r.hasParameter("partNumber")
                        && !r.hasParameter("uploadId")
                    || r.method().equals("POST") && r.hasParameter("uploads"))
        .toList();
  }

  private static List<Request> requests(String bucket) {
    return proxy.requests().stream().filter(r -> r.path().startsWith("/" + bucket + "/")).toList();
  }
}
