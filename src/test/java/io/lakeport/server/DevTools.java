package io.lakeport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finding a headless Chromium's DevTools endpoint (on 127.0.0.1) and reading its HTTP side. */
final class DevTools {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(60);

  private DevTools() {}

  /**
   * The DevTools port of the browser with this profile, from the {@code DevToolsActivePort} file it
   * writes once it listens; fails with its log when it exits or does not listen in time.
   */
  static int port(Process chromium, Path profile) throws IOException, InterruptedException {
    Path active = profile.resolve("DevToolsActivePort");
    Instant deadline = Instant.now().plus(START);
    while (true) {
      if (Files.exists(active)) {
        List<String> lines = Files.readAllLines(active, StandardCharsets.UTF_8);
        if (lines.size() >= 2) {
          return Integer.parseInt(lines.get(0).trim());
        }
      }
      if (!chromium.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "Chromium did not open its DevTools port"
                + (chromium.isAlive() ? " within " + START : " (it exited)")
                + ":\n"
                + Files.readString(profile.resolve("chromium.log")));
      }
      // the file appears within a second or two of the start
      chromium.waitFor(50, TimeUnit.MILLISECONDS);
    }
  }

  static JsonNode get(HttpClient client, int port, String path)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
