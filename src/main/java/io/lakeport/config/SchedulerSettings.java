package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lakeport.scheduler} of the site settings: how many runs {@code lakeport scheduler start}
 * keeps going at once, how often it looks for work, after how long a slot that was not queued
 * counts as missed, the timeout of a schedule without one, and where runs go: this JVM, or
 * spark-submit with the settings in {@code spark-submit}.
 */
public record SchedulerSettings(
    int maxConcurrentRuns,
    Duration tick,
    Duration missedAfter,
    Duration defaultTimeout,
    Launcher launcher,
    SparkSubmit sparkSubmit) {

  public SchedulerSettings {
    requireNonNull(launcher, "launcher is null");
    requireNonNull(sparkSubmit, "sparkSubmit is null");
  }

  /** Where scheduled runs go. */
  public enum Launcher {
    /** This JVM, one shared Spark session (the embedded default). */
    IN_PROCESS,
    /** A spark-submit of the application jar per run, to any master. */
    SPARK_SUBMIT
  }

  /**
   * How runs are submitted: Spark home, master, deploy mode, the application jar (empty: the jar
   * Lakeport runs from), Spark settings, and the folder for drivers' logs and outcome files.
   */
  public record SparkSubmit(
      Path sparkHome,
      String master,
      String deployMode,
      Optional<Path> appJar,
      Map<String, String> conf,
      Path logs) {
    public SparkSubmit {
      requireNonNull(sparkHome, "sparkHome is null");
      requireNonNull(master, "master is null");
      requireNonNull(deployMode, "deployMode is null");
      requireNonNull(appJar, "appJar is null");
      conf = Map.copyOf(conf);
      requireNonNull(logs, "logs is null");
    }
  }
}
