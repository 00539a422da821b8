package io.lakeport.schedule.launch;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how runs are submitted: the Spark home (a real installation, or the one the build
 * assembles in {@code target/spark-home}), master, deploy mode, Spark settings, the application
 * jar, and the site settings file the driver reads.
 */
public record SubmitSettings(
    Path sparkHome,
    String master,
    String deployMode,
    Map<String, String> conf,
    Path appJar,
    Optional<Path> siteConf) {
  public SubmitSettings {
    requireNonNull(sparkHome, "sparkHome is null");
    requireNonNull(master, "master is null");
    requireNonNull(deployMode, "deployMode is null");
    conf = Map.copyOf(conf);
    requireNonNull(appJar, "appJar is null");
    requireNonNull(siteConf, "siteConf is null");
  }
}
