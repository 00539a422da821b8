package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobSpec;
import io.lakeport.fault.Failpoints;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.OutputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic publish on local disk: what a reader of the export sees while a run writes and publishes,
 * taken at fixed points of the run (failpoints) and by a reader polling in a thread, compared with
 * the exact file sets of the run before and of the run itself (from their manifests); and the
 * empty-output policies.
 */
class PublishSparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @AfterEach
  void clearFailpoints() {
    Failpoints.clear();
  }

  @Test
  void readersSeeEachPartitionOldOrNewNeverAMixture() throws Exception {
    Path out = dir.resolve("out");
    String source = source(3);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    Manifest before =
        runner.run(job(source, out, "partition-by = [day]", Map.of("max", "200"))).manifest();

    List<Map<String, Set<String>>> atStaged = new ArrayList<>();
    List<Map<String, Set<String>>> whilePublishing =
        Collections.synchronizedList(new ArrayList<>());
    CountDownLatch staged = new CountDownLatch(1);
    AtomicBoolean running = new AtomicBoolean(true);
    Failpoints.install(
        Failpoints.STAGED,
        () -> {
          atStaged.add(partitions(out));
          staged.countDown();
        });
    Failpoints.install(Failpoints.PUBLISHED, () -> running.set(false));
    Failpoints.install(
        Failpoints.PUBLISHING,
        () -> {
          whilePublishing.add(partitions(out));
          assertThat(out.resolve("_SUCCESS")).as("_SUCCESS comes last").doesNotExist();
        });
    // Polls from the moment the data is staged until it is published: the window where a reader
    // could go wrong.
    CompletableFuture<List<Map<String, Set<String>>>> poller =
        CompletableFuture.supplyAsync(
            () -> {
              List<Map<String, Set<String>>> seen = new ArrayList<>();
              awaitQuietly(staged);
              while (running.get() && seen.size() < 100_000) {
                seen.add(partitions(out));
              }
              return seen;
            });
    Manifest after;
    try {
      after = runner.run(job(source, out, "partition-by = [day]", Map.of("max", "300"))).manifest();
    } finally {
      running.set(false);
      staged.countDown();
    }

    Map<String, Set<String>> old = byPartition(before);
    Map<String, Set<String>> fresh = byPartition(after);
    assertThat(fresh.keySet()).isEqualTo(old.keySet()).hasSize(3);
    assertThat(atStaged).containsExactly(old);
    assertThat(whilePublishing).hasSize(3);
    List<Map<String, Set<String>>> observed = new ArrayList<>(whilePublishing);
    observed.addAll(poller.get());
    assertThat(observed)
        .isNotEmpty()
        .allSatisfy(
            view ->
                view.forEach(
                    (partition, names) ->
                        assertThat(names)
                            .as(partition)
                            .isIn(old.get(partition), Set.of(), fresh.get(partition))));
    assertThat(partitions(out)).isEqualTo(fresh);
    assertThat(Files.readString(out.resolve("_SUCCESS"))).contains(after.runId());
    assertNoLeftovers(out);
  }

  @Test
  void anUnpartitionedOverwriteSwapsTheWholeExport() throws Exception {
    Path out = dir.resolve("flat");
    String source = source(3);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    Manifest before =
        runner
            .run(
                job(
                    source,
                    out,
                    "mode = overwrite, max-records-per-file = 40",
                    Map.of("max", "200")))
            .manifest();
    List<Set<String>> whilePublishing = new ArrayList<>();
    Failpoints.install(Failpoints.PUBLISHING, () -> whilePublishing.add(dataFiles(out)));

    Manifest after =
        runner
            .run(
                job(
                    source,
                    out,
                    "mode = overwrite, max-records-per-file = 40",
                    Map.of("max", "300")))
            .manifest();

    assertThat(before.files()).hasSizeGreaterThan(1);
    assertThat(whilePublishing).containsExactly(names(after));
    assertThat(dataFiles(out)).isEqualTo(names(after));
    assertThat(
            Manifests.newestFirst(
                FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(out.toUri())))
        .as("older manifests are kept")
        .hasSize(2);
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(300);
    assertNoLeftovers(out);
  }

  @Test
  void aFailedWriteLeavesThePreviousExportAndNoStaging() throws Exception {
    Path out = dir.resolve("out");
    String source = source(2);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    Manifest before =
        runner.run(job(source, out, "partition-by = [day]", Map.of("max", "100"))).manifest();

    String failing =
        """
        name = failing
        params { max = null }
        source { format = parquet, path = "%s" }
        plan { derive { boom = "if(id > 50, raise_error('broken row'), id)" } }
        sink { format = parquet, path = "%s", partition-by = [day] }
        """
            .formatted(source, out);
    RuntimeException e =
        catchThrowableOfType(
            RuntimeException.class,
            () -> runner.run(Fixtures.job(dir, failing, Map.of("max", "1"))));

    assertThat(e).isNotNull();
    assertThat(partitions(out)).isEqualTo(byPartition(before));
    assertNoLeftovers(out);
  }

  @Test
  void anEmptyRunFailsByDefaultAndSkipsOrPublishesWhenTheJobSaysSo() throws Exception {
    Path out = dir.resolve("out");
    String source = source(2);
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    Manifest before =
        runner.run(job(source, out, "partition-by = [day]", Map.of("max", "100"))).manifest();

    RunException failed =
        catchThrowableOfType(
            RunException.class,
            () -> runner.run(job(source, out, "partition-by = [day]", Map.of("max", "0"))));
    RunResult skipped =
        runner.run(job(source, out, "partition-by = [day], on-empty = skip", Map.of("max", "0")));

    // Parquet row-group statistics let Spark skip every row, so the rows read are what Spark
    // reports.
    assertThat(failed)
        .hasMessageContaining("for job publish-test")
        .hasMessageEndingWith(
            "the run produced no rows ("
                + skipped.manifest().totals().rowsRead()
                + " rows read), so nothing was published. If an empty export is"
                + " expected, set sink.on-empty = skip (publish nothing) or publish (an empty export with its manifest)");
    assertThat(skipped.status()).isEqualTo(RunResult.Status.SKIPPED);
    assertThat(skipped.manifestPath()).isEmpty();
    assertThat(skipped.manifest().totals().rows()).isZero();
    assertThat(partitions(out)).as("nothing changed").isEqualTo(byPartition(before));
    assertThat(Manifests.newestFirst(localFs(), new org.apache.hadoop.fs.Path(out.toUri())))
        .hasSize(1);

    Path flat = dir.resolve("empty");
    RunResult published = runner.run(job(source, flat, "on-empty = publish", Map.of("max", "0")));
    assertThat(published.status()).isEqualTo(RunResult.Status.PUBLISHED);
    assertThat(published.manifest().totals().rows()).isZero();
    assertThat(Path.of(URI.create(published.manifestPath().orElseThrow()))).exists();
    assertThat(spark.read().parquet(flat.toString()).count()).isZero();
    assertNoLeftovers(out);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A parquet source of 100 rows a day over {@code days} days. */
  private String source(int days) {
    String path = dir.resolve("source").toString();
    spark
        .range(100L * days)
        .select(
            functions.col("id"),
            functions
                .date_add(
                    functions.lit(Date.valueOf("2026-10-01")),
                    functions.col("id").mod(days).cast("int"))
                .as("day"))
        .write()
        .mode("overwrite")
        .parquet(path);
    return path;
  }

  private JobSpec job(String source, Path out, String sink, Map<String, String> params) {
    return Fixtures.job(
        dir,
        """
        name = publish-test
        params { max = null }
        param-types { max = long }
        source { format = parquet, path = "%s" }
        plan.where = "id < "${params.max}
        sink { format = parquet, path = "%s", %s }
        """
            .formatted(source, out, sink),
        params);
  }

  /** The data file names of each partition folder, as one listing per folder sees them. */
  private static Map<String, Set<String>> partitions(Path root) {
    Map<String, Set<String>> view = new TreeMap<>();
    try (Stream<Path> folders = Files.list(root)) {
      for (Path folder : folders.filter(p -> p.getFileName().toString().contains("=")).toList()) {
        view.put(folder.getFileName().toString(), dataFiles(folder));
      }
    } catch (IOException e) {
      return view;
    }
    return view;
  }

  private static Set<String> dataFiles(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("part-"))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Set<String>> byPartition(Manifest m) {
    Map<String, Set<String>> view = new TreeMap<>();
    m.files()
        .forEach(
            f ->
                view.computeIfAbsent(
                        f.path().substring(0, f.path().indexOf('/')), k -> new TreeSet<>())
                    .add(f.path().substring(f.path().indexOf('/') + 1)));
    return view;
  }

  private static Set<String> names(Manifest m) {
    return m.files().stream().map(OutputFile::path).collect(Collectors.toCollection(TreeSet::new));
  }

  static void assertNoLeftovers(Path root) throws IOException {
    Path meta = root.resolve("_lakeport");
    for (String folder : List.of("staging", "trash")) {
      if (Files.isDirectory(meta.resolve(folder))) {
        try (Stream<Path> left = Files.list(meta.resolve(folder))) {
          assertThat(left.toList()).as(folder + " leftovers").isEmpty();
        }
      }
    }
    try (Stream<Path> siblings = Files.list(root.getParent());
        Stream<Path> inside = Files.list(root)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains(".lakeport-replaced-"));
      assertThat(inside.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.equals("_temporary") || n.startsWith(".spark-staging"));
    }
  }

  private static FileSystem localFs() throws IOException {
    return FileSystem.getLocal(new Configuration());
  }
}
