package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.OutputFile;
import io.lakeport.s3.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSnapshot;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A root of many objects on S3 (s3proxy on 127.0.0.1) is listed in pages and planned, and one
 * export's objects are deleted through s3a's bulk delete, in DeleteObjects requests of many keys.
 * {@code -Dit.retention.objects=100000} runs it at the 100,000 objects retention must handle; the
 * suite uses 10,000, because s3proxy's file-system store, not s3a, makes the large run take about
 * 11 minutes on two cores.
 */
class RetentionS3ListingTest {
  static final String BUCKET = "big-exports";
  static final String PAGE_SIZE = "fs.s3a.bulk.delete.page.size";

  /**
   * Keys a DeleteObjects request: s3a's default, set here so the count below does not depend on it.
   */
  static final int PAGE = 250;

  static S3Server server;
  static Path work;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("lakeport-retention-s3-big");
    server = S3Server.start(work.resolve("s3"), BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Configuration conf() {
    return server.hadoopConfiguration();
  }

  private static long counter(IOStatistics after, IOStatisticsSnapshot before, String name) {
    return after.counters().getOrDefault(name, 0L) - before.counters().getOrDefault(name, 0L);
  }

  @Test
  void plansOverManyObjectsAndDeletesInBatches() throws Exception {
    Configuration conf = conf();
    // one cached s3a instance, so that its request counters are retention's own; closed at the end
    conf.setBoolean("fs.s3a.impl.disable.cache", false);
    conf.setInt(PAGE_SIZE, PAGE);
    org.apache.hadoop.fs.Path root =
        new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/big/orders");
    try (FileSystem fs = root.getFileSystem(conf)) {
      plansAndDeletes(conf, fs, root);
    }
  }

  private void plansAndDeletes(Configuration conf, FileSystem fs, org.apache.hadoop.fs.Path root)
      throws Exception {
    // the objects go straight into s3proxy's folder (a PUT each would take minutes); the
    // manifests through s3a
    Path bucketDir = server.root().resolve(BUCKET).resolve("big/orders");
    Instant now = Instant.now();
    List<String> kept = new ArrayList<>();
    int perExport = Integer.getInteger("it.retention.objects", 10_000) / 10;
    for (int e = 0; e < 10; e++) {
      Instant published = now.minus(Duration.ofDays(10 - e));
      String runId = ExportWriter.runId(published, e);
      List<OutputFile> files = new ArrayList<>();
      for (int i = 0; i < perExport; i++) {
        String path = "day=" + e + "/part-" + String.format("%05d", i) + ".csv";
        Path file = bucketDir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {(byte) i});
        files.add(new OutputFile(path, Map.of(), 1, 1, "", null));
        if (e > 0) {
          kept.add(path);
        }
      }
      Manifests.write(
          fs,
          Manifests.path(root, runId),
          new Manifest(
              Manifest.VERSION,
              "orders",
              runId,
              "orders.conf",
              Map.of(),
              null,
              "test",
              "4.1.1",
              Map.of(),
              null,
              null,
              null,
              List.of(),
              null,
              null,
              List.of(),
              files,
              published.minusSeconds(1).toString(),
              published.toString(),
              1000,
              null,
              null,
              null));
    }
    Path jobDir = Files.createDirectories(work.resolve("big"));
    JobSpec job =
        new JobLoader(Fixtures.site(jobDir, "s3a://" + BUCKET))
            .load(
                Fixtures.write(
                    jobDir,
                    "orders.conf",
                    """
        name = orders
        source { format = parquet, path = /in }
        sink { format = csv, path = "%s" }
        retention.keep.last = 9
        """
                        .formatted(root)),
                Map.of(),
                JobLoader.Mode.VALIDATE);
    Retention retention =
        new Retention(
            conf,
            Clock.fixed(now, ZoneOffset.UTC),
            () -> {
              throw new AssertionError("no Spark");
            });

    RetentionPlan plan = retention.plan(job, Map.of());
    assertThat(plan.decisions()).hasSize(10);
    assertThat(plan.filesFreed()).isEqualTo(perExport);

    IOStatisticsSnapshot before =
        IOStatisticsSupport.snapshotIOStatistics(IOStatisticsSupport.retrieveIOStatistics(fs));
    Retention.Result result = retention.apply(job, Map.of());
    assertThat(result.failures()).isEmpty();
    assertThat(result.filesDeleted()).isEqualTo(perExport);
    // the export's objects went in DeleteObjects requests of PAGE keys (the export is deleted in
    // two halves, around a failpoint, so one page may be short); single deletes are the manifest's
    // own: its rename to _lakeport/retired and the retired manifest at the end
    IOStatistics after = IOStatisticsSupport.retrieveIOStatistics(fs);
    long bulkRequests = counter(after, before, "object_bulk_delete_request");
    long singleRequests = counter(after, before, "object_delete_request");
    long objects = counter(after, before, "object_delete_objects");
    int pages = (perExport + PAGE - 1) / PAGE;
    assertThat(bulkRequests).isBetween((long) pages, pages + 1L);
    assertThat(singleRequests).isEqualTo(2);
    assertThat(objects).isEqualTo(perExport + singleRequests);
    List<String> left = RetentionApplyScenario.listAll(fs, root);
    left.removeIf(p -> p.startsWith("_lakeport/"));
    assertThat(left).containsExactlyInAnyOrderElementsOf(kept);
  }
}
