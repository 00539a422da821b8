package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.manifest.OutputFile;
import io.lakeport.run.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport retention plan --all} and {@code apply --all} in a child JVM whose {@code
 * LAKEPORT_HOME} is a temporary folder with four jobs in its {@code jobs/}: each job is planned and
 * applied by its own policy, a job without one keeps everything, and the export root of {@code
 * orders-eu}, nested inside that of {@code orders}, is left to {@code orders-eu} even where a
 * manifest of {@code orders} names a file in it.
 */
class RetentionAllJobsTest {
  @TempDir Path home;
  final Instant now = Instant.now();
  final FileSystem fs;

  RetentionAllJobsTest() throws IOException {
    fs = FileSystem.getLocal(Sessions.hadoopConfiguration(Fixtures.site()));
  }

  @Test
  void planAndApplyEveryJobInJobsFolder() throws Exception {
    Path exports = home.resolve("exports");
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(
        home.resolve("conf/application.conf"),
        "lakeport.retention.minimum-days = 0\n"
            + "lakeport.history.url = \"jdbc:h2:file:"
            + home.resolve("history")
            + "\"\n");
    job("audit", exports.resolve("audit"), "");
    job("clicks", exports.resolve("clicks"), "retention.keep.last = 2");
    job("orders", exports.resolve("orders"), "retention.keep.last = 1");
    job("orders-eu", exports.resolve("orders/region=eu"), "retention.keep.last = 1");

    List<String> gone = new ArrayList<>();
    JobExports audit = new JobExports(exports.resolve("audit"), 1);
    audit.export(50);
    audit.export(40);
    JobExports clicks = new JobExports(exports.resolve("clicks"), 2);
    gone.addAll(clicks.export(30));
    clicks.export(20);
    clicks.export(10);
    JobExports orders = new JobExports(exports.resolve("orders"), 3);
    gone.addAll(orders.export(40));
    orders.export(1);
    JobExports ordersEu = new JobExports(exports.resolve("orders/region=eu"), 4);
    gone.addAll(ordersEu.export(30));
    List<String> euNewest = ordersEu.export(2);
    // an old manifest of orders that names a file of orders-eu's newest export
    String claimed = euNewest.get(0).substring("orders/region=eu/".length());
    String claim = orders.manifestOnly(45, "region=eu/" + claimed);
    gone.add("orders/_lakeport/manifest-" + claim + ".json");
    TreeSet<String> before = files(exports);

    ChildLakeport.Finished plan =
        ChildLakeport.run(home, Duration.ofMinutes(3), "retention", "plan", "--all");

    assertThat(plan.exitCode()).as(plan.output()).isZero();
    assertThat(plan.output())
        .contains("job audit: file:" + exports.resolve("audit"))
        .contains("policy: no keep rules: every export is kept")
        .contains("would remove 0 of 2 exports and 0 leftovers")
        .contains("job clicks: file:" + exports.resolve("clicks"))
        .contains("would remove 1 of 3 exports and 0 leftovers")
        .contains("job orders: file:" + exports.resolve("orders"))
        .contains(
            "never touched: region=eu/"
                + claimed
                + " (named by the manifest of run "
                + claim
                + ": inside the export root of job orders-eu)")
        .contains("would remove 2 of 3 exports and 0 leftovers")
        .contains("job orders-eu: file:" + exports.resolve("orders/region=eu"))
        .contains("would remove 1 of 2 exports and 0 leftovers")
        // the files of orders-eu are neither counted nor reported as loose files of orders
        .doesNotContain("belong to no manifest");
    assertThat(files(exports)).isEqualTo(before);

    ChildLakeport.Finished apply =
        ChildLakeport.run(home, Duration.ofMinutes(3), "retention", "apply", "--all");

    assertThat(apply.exitCode()).as(apply.output()).isZero();
    TreeSet<String> expected = new TreeSet<>(before);
    expected.removeAll(gone);
    assertThat(files(exports)).isEqualTo(expected);
    assertThat(exports.resolve("orders/region=eu").resolve(claimed)).isRegularFile();
    Map<String, Long> removed = Map.of("audit", 0L, "clicks", 1L, "orders", 2L, "orders-eu", 1L);
    try (HistoryStore history =
        HistoryStore.open(
            Site.load(Optional.of(home.resolve("conf/application.conf"))).history(),
            Clock.systemUTC())) {
      removed.forEach(
          (job, count) -> {
            List<Run> runs =
                history
                    .runLog()
                    .runs(new RunFilter(Optional.of(job + ".retention"), Optional.empty(), 5));
            assertThat(runs)
                .as(job)
                .singleElement()
                .satisfies(
                    run -> {
                      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                      assertThat(run.rows()).contains(count);
                    });
          });
    }
  }

  private void job(String name, Path sink, String retention) throws IOException {
    Files.createDirectories(home.resolve("jobs"));
    Files.writeString(
        home.resolve("jobs").resolve(name + ".conf"),
        """
        name = %s
        time-zone = UTC
        source { format = parquet, path = /in }
        sink { format = parquet, path = "%s" }
        %s
        """
            .formatted(name, sink, retention));
  }

  /** Every file under {@code exports}, relative to it. */
  private static TreeSet<String> files(Path exports) throws IOException {
    try (Stream<Path> walk = Files.walk(exports)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".crc"))
          .map(p -> exports.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Exports of one job, written as Lakeport publishes them. */
  private final class JobExports {
    final Path root;
    final String prefix;
    final ExportWriter writer;
    int runs;

    JobExports(Path root, long seed) {
      this.root = root;
      this.prefix = home.resolve("exports").relativize(root) + "/";
      this.writer = new ExportWriter(fs, new org.apache.hadoop.fs.Path(root.toUri()), seed);
    }

    /** An export published {@code daysAgo}; its files and manifest, as paths under exports/. */
    List<String> export(int daysAgo) throws IOException {
      Instant published = now.minus(Duration.ofDays(daysAgo));
      String runId = ExportWriter.runId(published.minusSeconds(60), ++runs);
      List<String> written = new ArrayList<>();
      for (String file :
          writer.export(
              runId, published.atZone(ZoneOffset.UTC).toLocalDate(), published, 1, 100, false)) {
        written.add(prefix + file);
      }
      written.add(prefix + "_lakeport/manifest-" + runId + ".json");
      return written;
    }

    /** A published manifest naming only {@code path}; returns its run id. */
    String manifestOnly(int daysAgo, String path) throws IOException {
      Instant published = now.minus(Duration.ofDays(daysAgo));
      String runId = ExportWriter.runId(published.minusSeconds(60), ++runs);
      writer.writeManifest(
          runId,
          LocalDate.ofInstant(published, ZoneOffset.UTC),
          published,
          List.of(new OutputFile(path, Map.of(), 100, 1, "0".repeat(64), null)));
      return runId;
    }
  }
}
