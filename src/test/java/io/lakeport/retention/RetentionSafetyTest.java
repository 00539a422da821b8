package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeport.Fixtures;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.fault.Failpoints;
import io.lakeport.manifest.OutputFile;
import io.lakeport.run.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each safety rule of retention, on local disk, with a policy that would otherwise delete. */
class RetentionSafetyTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir Path dir;
  Path root;
  FileSystem fs;
  ExportWriter writer;
  Configuration conf;

  @BeforeEach
  void setUp() throws Exception {
    root = dir.resolve("exports/orders");
    conf = Sessions.hadoopConfiguration(Fixtures.site());
    fs = FileSystem.getLocal(conf);
    writer = new ExportWriter(fs, hadoop(root), 7);
  }

  @AfterEach
  void clearFailpoints() {
    Failpoints.clear();
  }

  @Test
  void neverFollowsALinkOrLeavesTheRootWhateverAManifestSays() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("precious.parquet"), "precious");
    Files.writeString(dir.resolve("sibling.parquet"), "sibling");
    String old = export(40);
    export(1);
    // the old export's manifest also names a file through a linked folder, a link, and a path out
    // of the root
    Files.createSymbolicLink(root.resolve("day=linked"), outside);
    Files.createSymbolicLink(root.resolve("link.parquet"), outside.resolve("precious.parquet"));
    writer.writeManifest(
        old,
        LocalDate.parse("2026-10-15"),
        NOW.minus(Duration.ofDays(40)),
        List.of(
            file("day=linked/precious.parquet"),
            file("link.parquet"),
            file("../../sibling.parquet"),
            file("/etc/hostname")));

    Retention.Result result = retention().apply(job("keep { last = 1 }", root), Map.of());

    assertThat(result.plan().refusedPaths())
        .containsOnlyKeys(
            "day=linked/precious.parquet",
            "link.parquet",
            "../../sibling.parquet",
            "/etc/hostname");
    assertThat(result.plan().refusedPaths().get("day=linked/precious.parquet"))
        .contains("symbolic link");
    assertThat(result.plan().refusedPaths().get("../../sibling.parquet"))
        .contains("not a normalised path");
    assertThat(outside.resolve("precious.parquet")).hasContent("precious");
    assertThat(dir.resolve("sibling.parquet")).hasContent("sibling");
    assertThat(root.resolve("link.parquet")).isSymbolicLink();
    assertThat(result.exportsRemoved()).isEqualTo(1);
  }

  @Test
  void leavesAnotherJobsRootNestedInsideAlone() throws Exception {
    export(40);
    export(1);
    Path nested = root.resolve("day=2026-10-15/inner");
    new ExportWriter(fs, hadoop(nested), 9)
        .export(
            ExportWriter.runId(NOW.minus(Duration.ofDays(50)), 1),
            LocalDate.parse("2026-10-05"),
            NOW.minus(Duration.ofDays(50)),
            2,
            100,
            false);
    // a manifest of the outer job that claims a file of the inner one
    List<String> innerFiles = RetentionApplyScenario.listAll(fs, hadoop(nested));
    writer.writeManifest(
        ExportWriter.runId(NOW.minus(Duration.ofDays(45)), 2),
        LocalDate.parse("2026-10-10"),
        NOW.minus(Duration.ofDays(45)),
        List.of(file("day=2026-10-15/inner/" + innerFiles.get(0))));

    Retention.Result result =
        retention()
            .apply(
                job("keep { last = 1 }", root),
                Map.of(nested.toString(), "inner", root.toString(), "orders"));

    assertThat(RetentionApplyScenario.listAll(fs, hadoop(nested)))
        .containsExactlyInAnyOrderElementsOf(innerFiles);
    assertThat(result.plan().refusedPaths().values())
        .anyMatch(why -> why.contains("export root of job inner"));
    assertThat(result.exportsRemoved()).isEqualTo(2);
  }

  @Test
  void keepsAnExportWhoseManifestCannotBeReadAndReportsIt() throws Exception {
    String broken = export(60);
    writer.write("_lakeport/manifest-" + broken + ".json", "{ truncated".getBytes());
    export(40);
    export(1);

    Retention.Result result = retention().apply(job("keep { last = 1 }", root), Map.of());

    Decision kept =
        result.plan().decisions().stream()
            .filter(d -> d.export().runId().equals(broken))
            .findFirst()
            .orElseThrow();
    assertThat(kept.action()).isEqualTo(Decision.Action.KEEP);
    assertThat(kept.reasons()).anyMatch(r -> r.contains("manifest cannot be read"));
    assertThat(root.resolve("_lakeport/manifest-" + broken + ".json")).exists();
    assertThat(root.resolve("day=2026-09-25"))
        .isDirectoryContaining(p -> p.toString().endsWith(".parquet"));
    assertThat(result.exportsRemoved()).isEqualTo(1);
  }

  @Test
  void refusesAPolicyThatWouldDeleteEveryExport() throws Exception {
    export(50);
    export(40);

    Retention.Result result =
        retention().apply(job("keep { days = 30, age-of = published }", root), Map.of());

    assertThat(result.plan().refusal())
        .get()
        .asString()
        .contains("would delete every export")
        .contains("keep.last");
    assertThat(result.actions()).isEmpty();
    assertThat(RetentionApplyScenario.listAll(fs, hadoop(root)))
        .filteredOn(p -> p.endsWith(".parquet"))
        .hasSize(4);
  }

  @Test
  void honoursTheMinimumRetentionFloorAndNamesTheSetting() throws Exception {
    assertThatThrownBy(() -> job("keep { days = 3 }", root, 7))
        .isInstanceOf(JobConfigException.class)
        .hasMessageContaining("retention.keep.days")
        .hasMessageContaining("lakeport.retention.minimum-days = 7");

    String young = export(5);
    String old = export(9);
    export(1);
    Retention.Result result = retention().apply(job("keep { last = 1 }", root, 7), Map.of());

    assertThat(result.plan().removed()).extracting(d -> d.export().runId()).containsExactly(old);
    assertThat(result.plan().decisions())
        .filteredOn(d -> d.export().runId().equals(young))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.reasons())
                    .anyMatch(r -> r.contains("lakeport.retention.minimum-days")));
  }

  @Test
  void aCrashMidDeletionLeavesARecordAndTheNextApplyFinishesIt() throws Exception {
    String doomed = export(40);
    export(1);
    Failpoints.install(
        Retention.FAILPOINT_DELETING,
        () -> {
          throw new IllegalStateException("crash");
        });

    assertThatThrownBy(() -> retention().apply(job("keep { last = 1 }", root), Map.of()))
        .hasMessage("crash");
    // half its files are gone, and its manifest is retired: not published, and the record of what
    // remains
    assertThat(root.resolve("_lakeport/manifest-" + doomed + ".json")).doesNotExist();
    assertThat(root.resolve("_lakeport/retired/manifest-" + doomed + ".json")).exists();
    assertThat(root.resolve("day=2026-10-15"))
        .isDirectoryContaining(p -> p.toString().endsWith(".parquet"));

    Failpoints.clear();
    RetentionPlan plan = retention().plan(job("keep { last = 1 }", root), Map.of());
    assertThat(plan.interrupted()).containsExactly(doomed);
    Retention.Result result = retention().apply(job("keep { last = 1 }", root), Map.of());

    assertThat(result.actions())
        .anyMatch(a -> a.subject().equals(doomed) && a.what().contains("interrupted"));
    assertThat(root.resolve("_lakeport/retired")).isEmptyDirectory();
    assertThat(root.resolve("day=2026-10-15")).doesNotExist();
    assertThat(result.failures()).isEmpty();
  }

  private String export(int daysAgo) throws Exception {
    Instant published = NOW.minus(Duration.ofDays(daysAgo));
    String runId = ExportWriter.runId(published.minusSeconds(60), daysAgo);
    writer.export(
        runId,
        published.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1),
        published,
        2,
        200,
        true);
    return runId;
  }

  private static OutputFile file(String path) {
    return new OutputFile(path, Map.of(), 8, 1, "0".repeat(64), null);
  }

  private Retention retention() {
    return new Retention(
        conf,
        Clock.fixed(NOW, ZoneOffset.UTC),
        () -> {
          throw new AssertionError("no Spark for file sinks");
        });
  }

  private JobSpec job(String retention, Path sink) throws Exception {
    return job(retention, sink, 0);
  }

  private JobSpec job(String retention, Path sink, int floor) throws Exception {
    Path site =
        Files.writeString(
            dir.resolve("site.conf"), "lakeport.retention.minimum-days = " + floor + "\n");
    Path file =
        Fixtures.write(
            dir,
            "job.conf",
            """
        name = orders
        time-zone = UTC
        source { format = parquet, path = /in }
        sink { format = parquet, path = "%s" }
        retention { %s }
        """
                .formatted(sink, retention));
    return new JobLoader(Site.load(Optional.of(site)))
        .load(file, Map.of(), JobLoader.Mode.VALIDATE);
  }

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }
}
