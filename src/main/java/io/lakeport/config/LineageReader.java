package io.lakeport.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads {@code lakeport.lineage} from the site settings (defaults in reference.conf). */
final class LineageReader {
  private static final String ENABLED = "enabled";
  private static final String NAMESPACE = "namespace";
  private static final String TRANSPORT = "transport";
  private static final String URL = "url";
  private static final String ENDPOINT = "endpoint";
  private static final String API_KEY_ENV = "api-key-env";
  private static final String TIMEOUT = "timeout";
  private static final String FILE = "file";

  private LineageReader() {}

  /** Reads {@code key} (the {@code lineage} block) of the {@code lakeport} section. */
  static LineageSettings read(Section site, String key) {
    Section lineage =
        site.section(key, ENABLED, NAMESPACE, TRANSPORT, URL, ENDPOINT, API_KEY_ENV, TIMEOUT, FILE);
    boolean enabled = lineage.optionalBoolean(ENABLED).orElse(false);
    String namespace = lineage.string(NAMESPACE);
    if (namespace.isBlank()) {
      lineage.problem(
          NAMESPACE, "expected a namespace, found \"\"", "Use e.g. namespace = lakeport.");
    }
    LineageSettings.Transport transport =
        lineage.enumValue(
            TRANSPORT, LineageSettings.Transport.class, LineageSettings.Transport.HTTP);
    Optional<String> given = lineage.optionalString(URL);
    Optional<URI> url = given.flatMap(text -> url(lineage, text));
    if (enabled && transport == LineageSettings.Transport.HTTP && given.isEmpty()) {
      lineage.problem(
          URL,
          "missing: the http transport needs the backend's address",
          "Add url = \"http://marquez.internal:5000\", or use transport = file or console.");
    }
    String endpoint = lineage.optionalString(ENDPOINT).orElse("/api/v1/lineage");
    if (!endpoint.startsWith("/")) {
      lineage.problem(
          ENDPOINT,
          "expected a path starting with /, found \"" + endpoint + "\"",
          "Use e.g. endpoint = \"/api/v1/lineage\".");
    }
    Duration timeout = lineage.optionalDuration(TIMEOUT).orElse(Duration.ofSeconds(5));
    if (timeout.isZero() || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
      lineage.problem(TIMEOUT, "expected a positive duration", "Use e.g. timeout = 5s.");
    }
    return new LineageSettings(
        enabled,
        namespace,
        transport,
        url,
        endpoint,
        lineage.optionalString(API_KEY_ENV),
        timeout,
        Path.of(lineage.optionalString(FILE).orElse("lineage.jsonl")));
  }

  private static Optional<URI> url(Section lineage, String text) {
    try {
      URI uri = new URI(text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        lineage.problem(
            URL,
            "expected an http:// or https:// URL, found \"" + Secrets.maskUrl(text) + "\"",
            "Use e.g. url = \"http://marquez.internal:5000\".");
        return Optional.empty();
      }
      if (uri.getUserInfo() != null || !Secrets.maskUrl(text).equals(text)) {
        lineage.problem(
            URL,
            "a URL must not hold credentials: " + Secrets.maskUrl(text),
            "Put the API key in an environment variable and name it in api-key-env.");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      lineage.problem(
          URL,
          "not a URL: " + Secrets.maskUrl(text),
          "Use e.g. url = \"http://marquez.internal:5000\".");
      return Optional.empty();
    }
  }
}
