package io.lakeport.server;

import static org.junit.jupiter.api.Assumptions.abort;

import io.lakeport.DebianPackages;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium (Debian's {@code chromium}, installed by the test setup when missing), one tab
 * of it driven over the DevTools protocol: what a person's browser does with the page, its layout
 * and its forms included.
 */
final class Chromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");

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

  /**
   * The page opened in a tab that the test drives over the DevTools protocol (on 127.0.0.1): a
   * viewport of {@code width} by {@code height} CSS pixels, the viewer in time zone {@code zone}.
   */
  Tab open(URI page, int width, int height, String zone) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(profiles, "chromium-profile");
    List<String> command = new ArrayList<>(flags(profile));
    command.addAll(
        List.of(
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "--window-size=" + width + "," + height,
            "--hide-scrollbars",
            "about:blank"));
    Process chromium =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    try {
      Tab tab = Tab.attach(chromium, DevTools.port(chromium, profile));
      tab.send(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
      tab.send("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
      tab.send("Page.navigate", Map.of("url", page.toString()));
      return tab;
    } catch (RuntimeException | IOException e) {
      chromium.destroyForcibly();
      throw e;
    }
  }

  private List<String> flags(Path profile) {
    return List.of(
        BINARY.toString(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile);
  }
}
