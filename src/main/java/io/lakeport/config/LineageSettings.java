package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code lakeport.lineage}: whether every run emits OpenLineage run events, under which namespace,
 * and where they go: POSTed to an HTTP endpoint (Marquez or any OpenLineage backend), appended as
 * JSON lines to a file, or written to the log. The API key is never in the settings: {@code
 * api-key-env} names the environment variable that holds it.
 */
public record LineageSettings(
    boolean enabled,
    String namespace,
    Transport transport,
    Optional<URI> url,
    String endpoint,
    Optional<String> apiKeyEnv,
    Duration timeout,
    Path file) {
  /** Where events go. */
  public enum Transport {
    HTTP,
    FILE,
    CONSOLE
  }

  public LineageSettings {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(transport, "transport is null");
    requireNonNull(url, "url is null");
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(apiKeyEnv, "apiKeyEnv is null");
    requireNonNull(timeout, "timeout is null");
    requireNonNull(file, "file is null");
  }

  /** Where the events of this transport go, for logs and delivery records (a URL, a file). */
  public String target() {
    return switch (transport) {
      case HTTP -> url.map(u -> Secrets.maskUrl(u.toString()) + endpoint).orElse("");
      case FILE -> file.toString();
      case CONSOLE -> "console";
    };
  }
}
