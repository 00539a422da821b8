package io.lakeport.api;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.PublishedManifests;
import io.lakeport.run.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Lakeport from Java: one installation (its home folder and site settings), its jobs, the manifests
 * of its exports and its run history. For notebooks:
 *
 * <pre>{@code
 * var lakeport = Lakeport.at(Lakeport.defaultHome());
 * var spark = lakeport.spark();
 * lakeport.job("jobs/security-anomalies-daily.conf").param("run_date", "2026-11-23").preview(spark, 20).show();
 * }</pre>
 */
public final class Lakeport {
  private static final String HOME_PROPERTY = "lakeport.home";
  private static final String HOME_VARIABLE = "LAKEPORT_HOME";

  private final Path home;
  private final Site site;
  private final Clock clock;

  private Lakeport(Path home, Site site, Clock clock) {
    this.home = requireNonNull(home, "home is null");
    this.site = requireNonNull(site, "site is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The installation in {@code home}, with its {@code conf/application.conf} when there is one. */
  public static Lakeport at(Path home) {
    return new Lakeport(
        home,
        Site.load(Optional.of(home.resolve("conf").resolve("application.conf"))),
        Clock.systemUTC());
  }

  public static Lakeport at(String home) {
    return at(Path.of(home));
  }

  /** An installation whose site settings are already loaded (the CLI's). */
  public static Lakeport of(Path home, Site site, Clock clock) {
    return new Lakeport(home, site, clock);
  }

  /**
   * Where Lakeport is: {@code -Dlakeport.home}, else {@code $LAKEPORT_HOME}, else the parent folder
   * when running in {@code notebooks/} (where Jupyter starts notebook kernels), else here.
   */
  public static Path defaultHome() {
    String home = System.getProperty(HOME_PROPERTY, System.getenv(HOME_VARIABLE));
    if (home != null && !home.isEmpty()) {
      return Path.of(home);
    }
    Path here = Path.of("").toAbsolutePath();
    return here.getFileName() != null
            && here.getFileName().toString().equals("notebooks")
            && Files.isDirectory(here.resolveSibling("jobs"))
        ? here.getParent()
        : here;
  }

  /** A job file, relative to the home folder unless absolute. */
  public Job job(String file) {
    return job(Path.of(file));
  }

  /** A job file, relative to the home folder unless absolute. */
  public Job job(Path file) {
    return new Job(this, home.resolve(file), Map.of(), Optional.empty());
  }

  /**
   * The Spark session of this JVM, or a new one from the site settings ({@code lakeport.spark}).
   */
  public SparkSession spark() {
    Optional<SparkSession> active =
        Optional.ofNullable(SparkSession.getDefaultSession().getOrElse(() -> null));
    return active.orElseGet(() -> Sessions.create(site, Optional.empty()));
  }

  /** The manifests of the export at {@code exportPath}, newest run first. */
  public List<Manifest> manifests(String exportPath) {
    try {
      return PublishedManifests.newestFirst(Sessions.hadoopConfiguration(site), exportPath);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the manifests of " + exportPath + ": " + e.getMessage(), e);
    }
  }

  /** The run history's runs of {@code job}, newest first, at most {@code limit}. */
  public List<Run> history(String job, int limit) {
    try (HistoryStore history = HistoryStore.open(site.history(), clock)) {
      return history.runLog().runs(new RunFilter(Optional.of(job), Optional.empty(), limit));
    }
  }

  public Path home() {
    return home;
  }

  public Site site() {
    return site;
  }

  Clock clock() {
    return clock;
  }
}
