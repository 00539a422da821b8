package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeport.Fixtures;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.run.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site's retention default, {@code lakeport.job-defaults.retention} in the site settings,
 * applies to a job that has no retention block of its own, and the site's floor {@code
 * lakeport.retention.minimum-days} refuses a default below it, naming itself.
 */
class RetentionSiteDefaultTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir Path dir;

  @Test
  void aJobWithoutItsOwnPolicyFollowsTheSiteDefault() throws Exception {
    Path root = dir.resolve("exports/orders");
    ExportWriter writer =
        new ExportWriter(
            FileSystem.getLocal(Sessions.hadoopConfiguration(Fixtures.site())),
            new org.apache.hadoop.fs.Path(root.toUri()),
            3);
    List<String> oldest = List.of(export(writer, 40), export(writer, 30));
    String second = export(writer, 20);
    String newest = export(writer, 1);
    Site site =
        site(
            """
        lakeport.retention.minimum-days = 0
        lakeport.job-defaults.retention { keep.last = 2 }
        """);

    JobSpec job = load(site, "orders", root, "");
    assertThat(job.retention().keep().last()).isEqualTo(OptionalInt.of(2));
    Retention.Result result = retention().apply(job, Map.of());

    assertThat(result.plan().policy()).isEqualTo("keep the last 2");
    assertThat(result.plan().removed())
        .extracting(d -> d.export().runId())
        .containsExactlyInAnyOrderElementsOf(oldest);
    assertThat(result.plan().kept())
        .extracting(d -> d.export().runId())
        .containsExactly(newest, second);
    assertThat(result.plan().kept())
        .allSatisfy(d -> assertThat(d.reasons()).contains("among the last 2"));
    assertThat(result.failures()).isEmpty();
    try (var manifests = Files.list(root.resolve("_lakeport"))) {
      assertThat(manifests.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .containsExactlyInAnyOrder(
              "manifest-" + newest + ".json", "manifest-" + second + ".json");
    }
    // a job's own keep rule replaces the default's
    assertThat(
            load(site, "clicks", dir.resolve("exports/clicks"), "retention.keep.last = 5")
                .retention()
                .keep()
                .last())
        .isEqualTo(OptionalInt.of(5));
  }

  @Test
  void aSiteDefaultBelowTheFloorIsRefusedNamingTheFloor() throws Exception {
    Site site =
        site(
            """
        lakeport.retention.minimum-days = 7
        lakeport.job-defaults.retention { keep.days = 3 }
        """);

    assertThatThrownBy(() -> load(site, "orders", dir.resolve("exports/orders"), ""))
        .isInstanceOf(JobConfigException.class)
        .hasMessageContaining(
            "site.conf:2: retention.keep.days: keeps exports for 3 days, below the site's minimum"
                + " retention lakeport.retention.minimum-days = 7. Raise retention.keep.days to at least 7, or lower"
                + " lakeport.retention.minimum-days in the site settings (conf/application.conf).");
  }

  private static String export(ExportWriter writer, int daysAgo) throws Exception {
    Instant published = NOW.minus(Duration.ofDays(daysAgo));
    String runId = ExportWriter.runId(published.minusSeconds(60), daysAgo);
    writer.export(
        runId,
        published.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1),
        published,
        1,
        100,
        false);
    return runId;
  }

  private Site site(String text) throws Exception {
    return Site.load(Optional.of(Files.writeString(dir.resolve("site.conf"), text)));
  }

  private JobSpec load(Site site, String name, Path sink, String retention) throws Exception {
    Path file =
        Fixtures.write(
            dir,
            name + ".conf",
            """
        name = %s
        time-zone = UTC
        source { format = parquet, path = /in }
        sink { format = parquet, path = "%s" }
        %s
        """
                .formatted(name, sink, retention));
    return new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE);
  }

  private static Retention retention() {
    return new Retention(
        Sessions.hadoopConfiguration(Fixtures.site()),
        Clock.fixed(NOW, ZoneOffset.UTC),
        () -> {
          throw new AssertionError("no Spark for file sinks");
        });
  }
}
