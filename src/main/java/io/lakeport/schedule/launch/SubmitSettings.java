package io.lakeport.schedule.launch;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how runs are submitted: the Spark home (a real installation, or the one the build
 * assembles in {@code target/spark-home}), master, deploy mode, Spark settings, the application
 * jar, the site settings file the driver reads, the log4j2 configuration it logs with (the
 * scheduler's own: Lakeport's {@code conf/log4j2.properties}, not Spark's INFO default), the
 * accelerator the scheduler's command chose over the site's ({@code --accelerator}, passed on to
 * each run) and the jars the drivers need beside the application jar ({@code --jars}: the Comet jar
 * when runs are accelerated, as it is kept out of the application jar).
 */
public record SubmitSettings(
    Path sparkHome,
    String master,
    String deployMode,
    Map<String, String> conf,
    Path appJar,
    Optional<Path> siteConf,
    Optional<String> logConfig,
    Optional<String> accelerator,
    List<Path> jars) {
  /** Settings with the site's accelerator and no jars beside the application jar. */
  public SubmitSettings(
      Path sparkHome,
      String master,
      String deployMode,
      Map<String, String> conf,
      Path appJar,
      Optional<Path> siteConf,
      Optional<String> logConfig) {
    this(
        sparkHome,
        master,
        deployMode,
        conf,
        appJar,
        siteConf,
        logConfig,
        Optional.empty(),
        List.of());
  }

  /** Settings whose drivers log as the Spark home's {@code conf/} says. */
  public SubmitSettings(
      Path sparkHome,
      String master,
      String deployMode,
      Map<String, String> conf,
      Path appJar,
      Optional<Path> siteConf) {
    this(sparkHome, master, deployMode, conf, appJar, siteConf, Optional.empty());
  }

  public SubmitSettings {
    requireNonNull(sparkHome, "sparkHome is null");
    requireNonNull(master, "master is null");
    requireNonNull(deployMode, "deployMode is null");
    conf = Map.copyOf(conf);
    requireNonNull(appJar, "appJar is null");
    requireNonNull(siteConf, "siteConf is null");
    requireNonNull(logConfig, "logConfig is null");
    requireNonNull(accelerator, "accelerator is null");
    jars = List.copyOf(jars);
  }
}
