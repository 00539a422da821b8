package io.lakeport.run;

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
import io.lakeport.manifest.Listing;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.Verifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kill matrix: a real {@code lakeport run} in a child JVM killed with SIGKILL at each point of
 * its life, and at random instants, over a partitioned export (partition folders swapped) and an
 * unpartitioned one (the whole export swapped). After each kill: {@code verify} exits 0 or 4, never
 * 2; every data file a reader sees is described by a manifest on disk (published or pending); the
 * next command that opens the history records the killed run lost; and the next run publishes
 * exactly the source's rows (counted independently, per partition), once each.
 */
class CrashRecoverySparkTest {
  /**
   * Random instants to kill at, new ones every build; their seed is printed so that a failure can
   * be replayed. Every named point of a run's life is killed at by the matrix; these cover the
   * instants between them (each costs a child JVM's start, about nine seconds here). Six per build,
   * a new seed each time: the instants covered grow build by build while CI stays in its budget.
   */
  private static final int RANDOM_KILLS = 6;

  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  enum Layout {
    PARTITIONED("partition-by = [day], max-records-per-file = 20"),
    WHOLE("mode = overwrite, max-records-per-file = 60");

    final String sink;

    Layout(String sink) {
      this.sink = sink;
    }

    String folder() {
      return "out-" + name().toLowerCase(Locale.ROOT);
    }
  }

  static Stream<Arguments> points() {
    List<String> points = new ArrayList<>(List.of(Failpoints.TASK_COMMITTED));
    points.addAll(Failpoints.PUBLISH_POINTS);
    return Stream.of(Layout.values())
        .flatMap(layout -> points.stream().map(point -> Arguments.of(layout, point)));
  }

  @ParameterizedTest(name = "{0} export killed at {1}")
  @MethodSource("points")
  void aRunKilledAtAnyPointThenRunAgainLeavesExactlyTheExpectedRows(Layout layout, String point)
      throws Exception {
    Path job = job(layout);
    DayRows.write(spark, dir.resolve("source").toString(), 300);
    assertThat(lakeport("run", job.toString())).isZero();
    DayRows.write(spark, dir.resolve("source").toString(), 450);

    ChildLakeport.killAt(
        point, dir, "run", job.toString(), "--site-conf=" + site(), "--master", "local[2]");

    assertConsistentAfterKill(layout);
    assertRerunPublishesTheSource(layout, job, 450);
  }

  @Test
  void aRunKilledAtRandomInstantsThenRunAgainLeavesExactlyTheExpectedRows() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path partitioned = job(Layout.PARTITIONED);
    DayRows.write(spark, dir.resolve("source").toString(), 100);
    long started = System.nanoTime();
    ChildLakeport.Finished whole =
        ChildLakeport.run(
            dir,
            Duration.ofMinutes(3),
            "run",
            partitioned.toString(),
            "--site-conf=" + site(),
            "--master",
            "local[2]");
    Duration length = Duration.ofNanos(System.nanoTime() - started);
    assertThat(whole.exitCode()).as(whole.output()).isZero();
    // each export has a published version before the kills: what a reader sees is it, or the new
    // one
    assertThat(lakeport("run", job(Layout.WHOLE).toString())).isZero();

    for (int i = 0; i < RANDOM_KILLS; i++) {
      Layout layout = i % 2 == 0 ? Layout.PARTITIONED : Layout.WHOLE;
      Path job = job(layout);
      long rows = 100 + 30 * (i + 1);
      DayRows.write(spark, dir.resolve("source").toString(), rows);
      // uniform over the run's length, from the JVM's start to a little past its usual end
      Duration instant = Duration.ofMillis((long) (length.toMillis() * 1.1 * random.nextDouble()));
      String replay =
          "kill " + i + " at " + instant + " of a run of " + length + " (seed " + seed + ")";
      try (ChildLakeport.Running child =
          ChildLakeport.start(
              dir, "run", job.toString(), "--site-conf=" + site(), "--master", "local[2]")) {
        child.killAfter(instant);
      }
      assertConsistentAfterKill(layout, replay);
      assertRerunPublishesTheSource(layout, job, rows);
    }
  }

  private void assertConsistentAfterKill(Layout layout, String... context) throws Exception {
    Path out = dir.resolve(layout.folder());
    String as = String.join(" ", context);
    StringWriter err = new StringWriter();
    int verified =
        Lakeport.execute(
            Clock.systemUTC(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "verify",
            out.toString());
    assertThat(verified).as("verify after the kill %s: %s", as, err).isIn(0, 4);
    assertThat(visibleDataFiles(out))
        .as("what a reader sees is described by a manifest on disk %s", as)
        .isSubsetOf(describedFiles(out));
    try (HistoryStore history =
        HistoryStore.open(Site.load(Optional.of(site())).history(), Clock.systemUTC())) {
      List<Run> runs =
          history.runLog().runs(new RunFilter(Optional.of("crash-test"), Optional.empty(), 100));
      assertThat(runs)
          .as("no run is left running %s", as)
          .noneMatch(r -> r.status() == RunStatus.RUNNING);
      assertThat(runs)
          .as("the killed run is recorded lost %s", as)
          .allMatch(r -> r.status() == RunStatus.SUCCEEDED || r.status() == RunStatus.LOST);
    }
  }

  private void assertRerunPublishesTheSource(Layout layout, Path job, long rows) throws Exception {
    Path out = dir.resolve(layout.folder());
    assertThat(lakeport("run", job.toString())).isZero();
    Map<String, Long> expected =
        DayRows.perDay(spark.read().parquet(dir.resolve("source").toString()));
    assertThat(DayRows.perDay(spark.read().parquet(out.toString()))).isEqualTo(expected);
    assertThat(spark.read().parquet(out.toString()).select("id").distinct().count())
        .as("no duplicates")
        .isEqualTo(rows);
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(rows);
    assertThat(new Verifier(new Configuration()).verify(out.toString()).intact()).isTrue();
    PublishSparkTest.assertNoLeftovers(out);
  }

  /**
   * Data files under the export a reader would list: hidden folders and files ({@code _x}, {@code
   * .x}) skipped.
   */
  private static Set<String> visibleDataFiles(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return Set.of();
    }
    FileSystem fs = FileSystem.getLocal(new Configuration());
    return Listing.dataFiles(fs, new org.apache.hadoop.fs.Path(out.toUri()));
  }

  /** The files every manifest and pending manifest on disk describes. */
  private static Set<String> describedFiles(Path out) throws IOException {
    Set<String> described = new HashSet<>();
    Path meta = out.resolve(Manifests.DIR);
    if (!Files.isDirectory(meta)) {
      return described;
    }
    try (Stream<Path> files = Files.list(meta)) {
      for (Path file :
          files.filter(p -> p.getFileName().toString().endsWith(Manifests.SUFFIX)).toList()) {
        try (var in = Files.newInputStream(file)) {
          Manifest.fromJson(in).files().forEach(f -> described.add(f.path()));
        }
      }
    }
    return described;
  }

  private int lakeport(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--site-conf=" + site());
    return Lakeport.execute(all.toArray(String[]::new));
  }

  private Path site() {
    Path site = dir.resolve("application.conf");
    if (!Files.exists(site)) {
      // What a kill leaves is the commit protocol's, the same on either engine; loading Comet in
      // each of the matrix's ~30 child JVMs (C1 only) cost 50 s of this test, so they run on plain
      // Spark. S3CrashRecoverySparkTest's children keep the default (Comet).
      Fixtures.write(
          dir,
          "application.conf",
          "lakeport.history.url = \"jdbc:sqlite:"
              + dir.resolve("history/lakeport.db")
              + "\"\nlakeport.spark.accelerator = none\n");
    }
    return site;
  }

  private Path job(Layout layout) {
    return Fixtures.write(
        dir,
        "crash-" + layout.name().toLowerCase(Locale.ROOT) + ".conf",
        """
        name = crash-test
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s", %s }
        """
            .formatted(dir.resolve("source"), dir.resolve(layout.folder()), layout.sink));
  }
}
