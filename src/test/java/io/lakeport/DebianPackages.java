package io.lakeport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian packages that tests need beside the JDK (Chromium for the web page, Prometheus' Python
 * client for its text format parser): present, or installed with apt-get when running as root and
 * asked to (CI=true, or {@code -Dtest.install-packages=true}); otherwise the caller skips with the
 * reason this gives.
 */
public final class DebianPackages {
  /** Asks the tests to install missing Debian packages. */
  public static final String INSTALL_PROPERTY = "test.install-packages";

  private DebianPackages() {}

  /**
   * Makes sure {@code marker} (a file the package installs) exists, installing {@code pkg} if it
   * does not and that is allowed. Returns an empty string when it exists, else why it does not.
   */
  public static synchronized String ensure(Path marker, String pkg) {
    if (Files.exists(marker)) {
      return "";
    }
    boolean asked = "true".equals(System.getenv("CI")) || Boolean.getBoolean(INSTALL_PROPERTY);
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!asked || !root) {
      return marker
          + " is missing and Debian's "
          + pkg
          + " was not installed (run as root with CI=true or -D"
          + INSTALL_PROPERTY
          + "=true to install it)";
    }
    Instant started = Instant.now();
    try {
      run(List.of("apt-get", "update"), Duration.ofMinutes(5));
      run(
          List.of("apt-get", "install", "-y", "--no-install-recommends", pkg),
          Duration.ofMinutes(10));
    } catch (IOException | IllegalStateException e) {
      return "Debian's " + pkg + " could not be installed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while installing Debian's " + pkg;
    }
    System.out.println(
        "Installed Debian's "
            + pkg
            + " in "
            + Duration.between(started, Instant.now()).toSeconds()
            + " s");
    return Files.exists(marker)
        ? ""
        : "Debian's " + pkg + " was installed but " + marker + " is still missing";
  }

  /**
   * Runs a command to its end within {@code limit}; its output becomes the message when it fails.
   */
  private static void run(List<String> command, Duration limit)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .redirectErrorStream(true)
            .directory(new File("/"));
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Path output = Files.createTempFile("lakeport-apt", ".log");
    try {
      Process process = builder.redirectOutput(output.toFile()).start();
      if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish within " + limit);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(output));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
