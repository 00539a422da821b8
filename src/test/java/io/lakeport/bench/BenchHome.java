package io.lakeport.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The benchmark's own Lakeport home under its work folder, so its runs and their history stay out
 * of the checkout's {@code data/}: the checkout's logging settings and no site settings of its own
 * (Lakeport's defaults: {@code local[*]}, 8 shuffle partitions), with the Comet accelerator loaded.
 */
final class BenchHome {
  private static final String ACCELERATOR = "lakeport.spark.accelerator";

  private BenchHome() {}

  static Path create(Path work, Path repo) {
    Path home = work.resolve("home");
    try {
      Files.createDirectories(home.resolve("conf"));
      Files.copy(
          repo.resolve("conf").resolve("log4j2.properties"),
          home.resolve("conf").resolve("log4j2.properties"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the benchmark's home under " + work, e);
    }
    // Site settings are read with lakeport.home from the system properties.
    System.setProperty("lakeport.home", home.toString());
    // The bench's jobs write under its work folder, outside the home's own exports folder.
    System.setProperty("lakeport.exports", work.resolve("exports").toString());
    // The context loads Comet (case 2 and 9 compare sessions with it on and off); a run can still
    // choose -Dlakeport.spark.accelerator=none.
    if (System.getProperty(ACCELERATOR) == null) {
      System.setProperty(ACCELERATOR, "comet");
    }
    return home;
  }
}
