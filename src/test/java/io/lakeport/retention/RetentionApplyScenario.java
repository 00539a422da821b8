package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.RetentionSpec;
import io.lakeport.config.Site;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A random history written to a real file system (exports with rejects, unreadable manifests,
 * exports whose files a later run replaced, leftovers of failed runs), a random policy, then {@code
 * apply}: what is left must be exactly what the independent model keeps, and archives must restore
 * the deleted files byte for byte. Shared by the local-disk and S3 properties.
 */
record RetentionApplyScenario(
    List<Item> items,
    int leftovers,
    Integer keepDays,
    Integer keepLast,
    Long maxSize,
    int floor,
    String archive,
    long seed) {

  /** One export: published this many hours before now, and what happened to it. */
  record Item(int hoursAgo, int files, boolean rejects, boolean unreadable, boolean replaced) {}

  static Arbitrary<RetentionApplyScenario> arbitrary() {
    Arbitrary<Item> item =
        Combinators.combine(
                Arbitraries.integers().between(1, 90 * 24),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(true, false, false),
                Arbitraries.integers().between(0, 9).map(i -> i == 0),
                Arbitraries.integers().between(0, 9).map(i -> i == 0))
            .as(Item::new);
    return Combinators.combine(
            item.list().ofMinSize(1).ofMaxSize(12),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(1, 60).injectNull(0.4),
            Arbitraries.integers().between(1, 6).injectNull(0.4),
            Arbitraries.longs().between(100, 6_000).injectNull(0.6),
            Arbitraries.integers().between(0, 5),
            Arbitraries.of("none", "tar.gz", "zip"),
            Arbitraries.longs())
        .as(RetentionApplyScenario::new);
  }

  /** Writes the history under {@code root}, applies the policy, and checks the result. */
  void check(
      FileSystem fs,
      Path root,
      Path archives,
      Configuration conf,
      java.nio.file.Path dir,
      Instant now,
      boolean canDateLeftovers)
      throws IOException {
    ExportWriter writer = new ExportWriter(fs, root, seed);
    Map<String, List<String>> filesByRun = new HashMap<>();
    List<Export> exports = new ArrayList<>();
    Map<String, byte[]> before = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      Instant published = now.minus(Duration.ofHours(item.hoursAgo())).minusMillis(i);
      String runId = ExportWriter.runId(published.minusSeconds(10), i);
      LocalDate day = published.atZone(ZoneOffset.UTC).toLocalDate();
      List<String> written =
          writer.export(runId, day, published, item.files(), 100 + 37 * i, item.rejects());
      if (item.unreadable()) {
        writer.write("_lakeport/manifest-" + runId + ".json", "{ not json".getBytes());
      }
      if (item.replaced()) {
        for (String file : written) {
          fs.delete(new Path(root, file), false);
        }
        written = List.of();
      }
      filesByRun.put(runId, written);
      long bytes = 0;
      for (String file : written) {
        bytes += fs.getFileStatus(new Path(root, file)).getLen();
        before.put(file, read(fs, new Path(root, file)));
      }
      exports.add(
          new Export(
              runId,
              Optional.of(day),
              published,
              bytes,
              written.size(),
              item.unreadable() ? Optional.of("unreadable") : Optional.empty()));
    }
    writer.write("orphan/not-in-any-manifest.bin", new byte[] {1, 2, 3});
    Set<String> expectedLeft = new TreeSet<>(List.of("orphan/not-in-any-manifest.bin"));
    List<String> oldLeftovers = new ArrayList<>();
    for (int i = 0; i < leftovers; i++) {
      boolean old = i % 2 == 0 || !canDateLeftovers;
      String folder =
          (i % 3 == 2 ? "_lakeport/trash/" : "_lakeport/staging/")
              + ExportWriter.runId(now, 1000 + i);
      String file =
          canDateLeftovers
              ? writer.leftover(
                  folder, old ? now.minus(Duration.ofDays(3)) : now.minus(Duration.ofHours(1)))
              : writeLeftover(writer, folder);
      if (!old) {
        expectedLeft.add(file);
      } else {
        oldLeftovers.add(file);
      }
    }

    JobSpec job = job(dir, root, archives);
    RetentionPolicy.Verdict model =
        new RetentionPolicy(job.retention(), job.timeZone()).decide(exports, now);
    RetentionPolicyPropertyTest.Model independent =
        new RetentionPolicyPropertyTest.Model(job.retention(), exports, now, job.timeZone());
    Set<String> removed = independent.removed();
    if (independent.refused()) {
      // a refused policy changes nothing at all, leftovers included
      expectedLeft.addAll(oldLeftovers);
    }
    assertThat(model.removed().stream().map(d -> d.export().runId()).toList())
        .containsExactlyInAnyOrderElementsOf(removed);

    Retention retention =
        new Retention(
            conf,
            Clock.fixed(now, ZoneOffset.UTC),
            () -> {
              throw new AssertionError("no Spark for file sinks");
            });
    RetentionPlan plan = retention.plan(job, Map.of());
    assertThat(plan.removed().stream().map(d -> d.export().runId()).toList())
        .as("plan %s for %s", plan.decisions(), exports)
        .containsExactlyInAnyOrderElementsOf(removed);
    assertThat(listAll(fs, root)).as("plan changes nothing").containsAll(before.keySet());

    Retention.Result result = retention.apply(job, Map.of());
    assertThat(result.failures()).isEmpty();

    for (Export export : exports) {
      String manifest = "_lakeport/manifest-" + export.runId() + ".json";
      if (!removed.contains(export.runId())) {
        expectedLeft.addAll(filesByRun.get(export.runId()));
        expectedLeft.add(manifest);
      }
    }
    Set<String> left = new TreeSet<>(listAll(fs, root));
    left.removeIf(path -> path.startsWith("_lakeport/retired/"));
    assertThat(left).as("exactly the kept set is left").isEqualTo(expectedLeft);
    assertThat(listAll(fs, root)).noneMatch(path -> path.startsWith("_lakeport/retired/"));
    assertThat(result.bytesFreed()).isEqualTo(plan.bytesFreed());

    if (!archive.equals("none")) {
      for (String runId : removed) {
        Path archivePath =
            Archiver.path(
                archives.toString(),
                job.name(),
                runId,
                archive.equals("zip")
                    ? RetentionSpec.Archive.Format.ZIP
                    : RetentionSpec.Archive.Format.TAR_GZ);
        Path target = new Path(dir.resolve("restored-" + runId).toUri());
        FileSystem local = FileSystem.getLocal(conf);
        Archiver.Restored restored =
            Archiver.restore(archivePath.getFileSystem(conf), archivePath, local, target);
        assertThat(restored.problems()).isEmpty();
        for (String file : filesByRun.get(runId)) {
          assertThat(read(local, new Path(target, file)))
              .as("restored " + file)
              .isEqualTo(before.get(file));
        }
        assertThat(restored.files().keySet())
            .containsAll(filesByRun.get(runId))
            .contains("_lakeport/manifest-" + runId + ".json");
      }
    }
  }

  private static String writeLeftover(ExportWriter writer, String folder) throws IOException {
    String path = folder + "/part-00000.parquet";
    writer.write(path, new byte[64]);
    return path;
  }

  private JobSpec job(java.nio.file.Path dir, Path root, Path archives) throws IOException {
    List<String> keep = new ArrayList<>();
    if (keepDays != null) {
      keep.add("days = " + Math.max(keepDays, floor) + ", age-of = published");
    }
    if (keepLast != null) {
      keep.add("last = " + keepLast);
    }
    if (maxSize != null) {
      keep.add("max-size = " + maxSize);
    }
    String archiveBlock =
        archive.equals("none")
            ? ""
            : "archive { location = \"" + archives + "\", format = \"" + archive + "\" }";
    java.nio.file.Path site = dir.resolve("site.conf");
    // the export's folder and the archive's must be allowed roots; index 1, because the test JVM
    // sets index 0 of lakeport.sink-roots (its temporary folder) as a system property
    Files.writeString(
        site,
        "lakeport.retention.minimum-days = "
            + floor
            + "\nlakeport.exports = \""
            + root.getParent()
            + "\"\nlakeport.sink-roots.1 = \""
            + archives
            + "\"\n");
    java.nio.file.Path file =
        Fixtures.write(
            dir,
            "job.conf",
            """
        name = test
        time-zone = UTC
        source { format = parquet, path = /in }
        sink { format = parquet, path = "%s" }
        retention { keep { %s }, staging-grace = 24h, %s }
        """
                .formatted(root, String.join(", ", keep), archiveBlock));
    return new JobLoader(Site.load(Optional.of(site)))
        .load(file, Map.of(), JobLoader.Mode.VALIDATE);
  }

  static List<String> listAll(FileSystem fs, Path root) throws IOException {
    List<String> all = new ArrayList<>();
    if (!fs.exists(root)) {
      return all;
    }
    String prefix = fs.makeQualified(root).toUri().getPath() + "/";
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      all.add(it.next().getPath().toUri().getPath().substring(prefix.length()));
    }
    all.removeIf(p -> p.endsWith(".crc"));
    return all;
  }

  private static byte[] read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  static Set<String> set(List<String> list) {
    return new HashSet<>(list);
  }
}
