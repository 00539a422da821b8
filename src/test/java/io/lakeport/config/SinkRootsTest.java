package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exports go under {@code lakeport.exports} or a {@code lakeport.sink-roots} folder, compared
 * normalised: no {@code ..}, prefix or scheme trick gets a sink outside them.
 */
class SinkRootsTest {
  @TempDir Path dir;

  /** The test JVM's site with its exports and sink roots replaced. */
  private static Site site(String exports, String... roots) {
    Site s = Fixtures.site();
    return new Site(
        s.stack(),
        s.home(),
        s.warehouse(),
        exports,
        List.of(roots),
        s.timeZone(),
        s.logs(),
        s.master(),
        s.sparkConf(),
        s.accelerator(),
        s.s3(),
        s.history(),
        s.scheduler(),
        s.notifications(),
        s.api());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/data/exports/orders, true",
    "/data/exports/orders/, true",
    "/data/exports/./eu/orders, true",
    "file:/data/exports/orders, true",
    "file:///data/exports/orders, true",
    "/data/exports/../victim, false",
    "/data/exports/eu/../../victim, false",
    "/data/exports2/orders, false",
    "/data/export, false",
    "s3a://lake/exports/orders, true",
    "s3a://lake/exports//orders/, true",
    "s3a://lake/exports/../private/x, false",
    "s3a://lake/../lake/exports/x, false",
    "s3a://lake/exportsx/orders, false",
    "s3a://other/exports/orders, false",
    "s3://lake/exports/orders, false",
    "gs://lake/exports/orders, false",
    "/srv/out/2026, true",
    "/srv/outside, false",
    "relative/orders, false",
  })
  void holdsOnlyPathsUnderARoot(String path, boolean held) {
    SinkRoots roots = new SinkRoots(site("/data/exports", "s3a://lake/exports/", "/srv/out"));

    assertThat(roots.holds(path)).isEqualTo(held);
  }

  @Test
  void relativePathsAreResolvedAgainstTheWorkingDirectoryLikeTheExportsRoot() {
    SinkRoots roots = new SinkRoots(site("./data/exports"));

    assertThat(roots.holds("data/exports/orders")).isTrue();
    assertThat(roots.holds(Path.of("data/exports/orders").toAbsolutePath().toString())).isTrue();
    assertThat(roots.holds("data/elsewhere")).isFalse();
  }

  @Test
  void theTestSiteReadsNumberedSystemPropertiesAsTheList() {
    assertThat(Fixtures.site().sinkRoots())
        .containsExactly(System.getProperty("lakeport.sink-roots.0"));
  }

  @Test
  void aSinkReachedThroughTheExportsRootAndDotDotIsRefusedNamingKeyPathAndFix() {
    // the job's ${lakeport.exports} is the test site's; the roots are only this one elsewhere, so
    // the check does not depend on where the checkout (or the temporary folder) is
    Site site = site("/srv/lakeport/exports");
    String exports = Fixtures.site().exports();
    Path job =
        Fixtures.write(
            dir,
            "job.conf",
            """
            name = escape
            params { tenant = acme }
            source { format = parquet, path = /tmp/in }
            sink { format = parquet, path = ${lakeport.exports}"/../victim/"${params.tenant} }
            """);

    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () -> new JobLoader(site).load(job, Map.of(), JobLoader.Mode.VALIDATE));

    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            Fixtures.displayed(job)
                + ":4: sink.path: sink path \""
                + exports
                + "/../victim/acme\" is outside the folders exports may be written to"
                + " (lakeport.exports and lakeport.sink-roots). Write it under ${lakeport.exports},"
                + " or add a folder that holds it to lakeport.sink-roots in the site settings"
                + " (conf/application.conf), e.g. lakeport.sink-roots = [\"s3a://bucket/exports\"].");
  }

  @Test
  void aSinkUnderAListedRootLoads() {
    Site site = site(dir.resolve("exports").toString(), "s3a://lake/exports");
    Path job =
        Fixtures.write(
            dir,
            "job.conf",
            """
            name = listed
            source { format = parquet, path = /tmp/in }
            sink { format = parquet, path = "s3a://lake/exports/orders" }
            """);

    assertThat(new JobLoader(site).load(job, Map.of(), JobLoader.Mode.RUN).sink().path())
        .isEqualTo("s3a://lake/exports/orders");
  }
}
