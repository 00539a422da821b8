package io.lakeport.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.DayRows;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.cli.Lakeport;
import io.lakeport.config.Site;
import io.lakeport.fault.Failpoints;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.manifest.PublishedManifests;
import io.lakeport.manifest.Verifier;
import io.lakeport.run.ExportRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kill matrix on S3 (s3proxy on 127.0.0.1): a real {@code lakeport run} in a child JVM writing
 * to a bucket, killed with SIGKILL at the publish failpoints an S3 export passes (the committer has
 * committed; the manifest is not written yet). On S3 the committer's job commit is the publish, so
 * what a reader sees after such a kill is the new objects without a manifest or {@code _SUCCESS}:
 * {@code verify} reports them (exit 4, never 2), the next command that opens the history records
 * the killed run lost, and the next run publishes exactly the source's rows.
 */
class S3CrashRecoverySparkTest {
  private static final String BUCKET = "crash-matrix";

  /** The s3proxy credentials, as a child {@code lakeport run} reads them from its environment. */
  private static final Map<String, String> CREDENTIALS =
      Map.of(
          "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);

  private static S3Server server;
  @TempDir static Path shared;

  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Server.start(shared.resolve("s3"), BUCKET);
    Configuration s3a = TestSpark.session().sparkContext().hadoopConfiguration();
    String prefix = "fs.s3a.bucket." + BUCKET + ".";
    s3a.set(prefix + "endpoint", server.endpoint());
    s3a.set(prefix + "endpoint.region", "us-east-1");
    s3a.set(prefix + "path.style.access", "true");
    s3a.set(prefix + "connection.ssl.enabled", "false");
    s3a.set(
        prefix + "aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s3a.set(prefix + "access.key", S3Server.ACCESS_KEY);
    s3a.set(prefix + "secret.key", S3Server.SECRET_KEY);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "killed at {0}")
  @ValueSource(strings = {Failpoints.STAGED, Failpoints.PUBLISHED})
  void aRunKilledAfterTheCommitThenRunAgainLeavesExactlyTheExpectedRows(String point)
      throws Exception {
    String export = "s3a://" + BUCKET + "/exports/" + point;
    Path site = site();
    Path job = job("s3-crash", export);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    DayRows.write(spark, dir.resolve("source").toString(), 300);
    runner.run(Fixtures.job(dir, Files.readString(job), Map.of(), Site.load(Optional.of(site))));
    DayRows.write(spark, dir.resolve("source").toString(), 450);

    ChildLakeport.holdAt(
            point,
            dir,
            CREDENTIALS,
            "run",
            job.toString(),
            "--site-conf=" + site,
            "--master",
            "local[2]")
        .kill();

    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Verifier.Report afterKill = new Verifier(hadoop).verify(export);
    assertThat(afterKill.intact())
        .as("the committed objects of the killed run, which no manifest describes yet")
        .isFalse();
    assertThat(afterKill.differences())
        .extracting(Verifier.Difference::kind)
        .contains(Verifier.Difference.Kind.EXTRA);
    try (HistoryStore history =
        HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC())) {
      List<Run> runs =
          history.runLog().runs(new RunFilter(Optional.of("s3-crash"), Optional.empty(), 10));
      assertThat(runs).singleElement().extracting(Run::status).isEqualTo(RunStatus.LOST);
    }

    runner.run(Fixtures.job(dir, Files.readString(job), Map.of(), Site.load(Optional.of(site))));

    assertThat(DayRows.perDay(spark.read().parquet(export)))
        .isEqualTo(DayRows.perDay(spark.read().parquet(dir.resolve("source").toString())));
    assertThat(spark.read().parquet(export).select("id").distinct().count()).isEqualTo(450);
    assertThat(spark.read().parquet(export).count()).isEqualTo(450);
    assertThat(new Verifier(hadoop).verify(export).intact()).isTrue();
  }

  /**
   * No operating system lock spans an S3 bucket: two processes on one S3 export are kept apart by
   * the lease they take in the run history they share. The second run fails naming the first (its
   * pid) and publishes nothing; once the first is killed, its lease is taken over and its run
   * recorded lost, and the next run publishes exactly the source's rows.
   */
  @Test
  void twoProcessesOnOneS3ExportAreKeptApartByTheLeaseInTheirHistory() throws Exception {
    String export = "s3a://" + BUCKET + "/exports/leased";
    Path site = site();
    Path job = job("s3-leased", export);
    DayRows.write(spark, dir.resolve("source").toString(), 300);

    ChildLakeport.Held first =
        ChildLakeport.holdAt(
            Failpoints.STAGED,
            dir,
            CREDENTIALS,
            "run",
            job.toString(),
            "--site-conf=" + site,
            "--master",
            "local[2]");
    StringWriter err = new StringWriter();
    int second;
    try {
      second =
          Lakeport.execute(
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true),
              "run",
              job.toString(),
              "--site-conf=" + site);
    } finally {
      first.kill();
    }

    assertThat(second).as(err.toString()).isEqualTo(3);
    assertThat(err.toString())
        .contains("another run is writing the export at " + export, "pid " + first.pid())
        .doesNotContain("\tat ");
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    assertThat(PublishedManifests.newestFirst(hadoop, export))
        .as("the first run was held before its manifest, the second published nothing")
        .isEmpty();

    int again = Lakeport.execute("run", job.toString(), "--site-conf=" + site);

    assertThat(again).isZero();
    try (HistoryStore history =
        HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC())) {
      List<Run> runs =
          history.runLog().runs(new RunFilter(Optional.of("s3-leased"), Optional.empty(), 10));
      assertThat(runs)
          .extracting(Run::status)
          .containsExactlyInAnyOrder(RunStatus.LOST, RunStatus.FAILED, RunStatus.SUCCEEDED);
    }
    assertThat(DayRows.perDay(spark.read().parquet(export)))
        .isEqualTo(DayRows.perDay(spark.read().parquet(dir.resolve("source").toString())));
    assertThat(spark.read().parquet(export).count()).isEqualTo(300);
    assertThat(new Verifier(hadoop).verify(export).intact()).isTrue();
  }

  /**
   * Site settings with an SQLite history in the test folder, s3proxy as the S3 endpoint and the
   * exports in the bucket.
   */
  private Path site() {
    return Fixtures.write(
        dir,
        "application.conf",
        """
        lakeport.history.url = "jdbc:sqlite:%s"
        lakeport.exports = "s3a://%s/exports"
        lakeport.s3 {
          endpoint = "%s", region = us-east-1, path-style-access = true, credentials = environment
        }
        """
            .formatted(dir.resolve("history/lakeport.db"), BUCKET, server.endpoint()));
  }

  /** A job reading the test's day rows and writing them to {@code export}, partitioned by day. */
  private Path job(String name, String export) {
    return Fixtures.write(
        dir,
        name + ".conf",
        """
        name = %s
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s", partition-by = [day] }
        """
            .formatted(name, dir.resolve("source"), export));
  }
}
