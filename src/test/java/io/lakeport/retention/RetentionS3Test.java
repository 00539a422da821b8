package io.lakeport.retention;

import io.lakeport.s3.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.hadoop.conf.Configuration;

/**
 * Retention on S3 (s3proxy on 127.0.0.1, the storage tests' server): random histories applied
 * through s3a leave exactly the kept set and archive to another bucket, and a root of 100,000
 * objects is listed and planned, with one export's 10,000 objects deleted in bulk requests.
 */
class RetentionS3Test {
  static final String BUCKET = "exports";
  static final String ARCHIVE = "archive";
  static S3Server server;
  static Path work;
  static int scenario;

  @BeforeContainer
  static void start() throws Exception {
    work = Files.createTempDirectory("lakeport-retention-s3");
    server = S3Server.start(work.resolve("s3"), BUCKET, ARCHIVE);
  }

  @AfterContainer
  static void stop() throws Exception {
    server.close();
  }

  static Configuration conf() {
    return server.hadoopConfiguration();
  }

  @Property(tries = 6)
  void applyLeavesExactlyTheKeptSetOnS3(@ForAll("scenarios") RetentionApplyScenario s)
      throws Exception {
    int n = ++scenario;
    Configuration conf = conf();
    org.apache.hadoop.fs.Path root =
        new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/random-" + n + "/test");
    Path dir = Files.createDirectories(work.resolve("scenario-" + n));
    // leftovers written now are past their 24h grace two days later
    s.check(
        root.getFileSystem(conf),
        root,
        new org.apache.hadoop.fs.Path("s3a://" + ARCHIVE + "/random-" + n),
        conf,
        dir,
        Instant.now().plus(Duration.ofDays(2)),
        false);
  }

  @Provide
  Arbitrary<RetentionApplyScenario> scenarios() {
    return RetentionApplyScenario.arbitrary();
  }
}
