package io.lakeport.server;

import static org.junit.jupiter.api.Assumptions.abort;

import io.lakeport.DebianPackages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}, installed by the test setup when missing): the DOM
 * of a page after its scripts ran, and a screenshot. Virtual time lets the page's fetches and
 * timers run before the DOM is dumped, without waiting in real time.
 */
final class Chromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final int VIRTUAL_TIME_MS = 10_000;

  private final Path profiles;

  private Chromium(Path profiles) {
    this.profiles = profiles;
  }

  /**
   * Chromium with profiles under {@code dir}; skips the test (with the reason) when it cannot be
   * had.
   */
  static Chromium in(Path dir) {
    String missing = DebianPackages.ensure(BINARY, "chromium");
    if (!missing.isEmpty()) {
      String reason = "Skipped: no Chromium: " + missing;
      System.out.println(reason);
      abort(reason);
    }
    return new Chromium(dir);
  }

  /** The page's DOM once its scripts have run. */
  String dom(URI page) throws IOException, InterruptedException {
    return run(page, "--dump-dom");
  }

  /** A screenshot of the page, {@code width} by {@code height} pixels, written to {@code png}. */
  void screenshot(URI page, Path png, int width, int height)
      throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    run(
        page,
        "--screenshot=" + png.toAbsolutePath(),
        "--window-size=" + width + "," + height,
        "--hide-scrollbars");
  }

  private String run(URI page, String... what) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(profiles, "chromium-profile"),
                "--virtual-time-budget=" + VIRTUAL_TIME_MS));
    command.addAll(List.of(what));
    command.add(page.toString());
    Process chromium = new ProcessBuilder(command).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(chromium, false));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(chromium, true));
    if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
      throw new IllegalStateException(
          "Chromium did not finish within 120 s: " + String.join(" ", command));
    }
    if (chromium.exitValue() != 0) {
      throw new IllegalStateException(
          "Chromium exited with "
              + chromium.exitValue()
              + ":\n"
              + new String(err.join(), StandardCharsets.UTF_8));
    }
    return new String(out.join(), StandardCharsets.UTF_8);
  }

  private static byte[] readAll(Process process, boolean error) {
    try {
      return (error ? process.getErrorStream() : process.getInputStream()).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
