package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code lakeport.api} of the site settings: whether {@code lakeport scheduler start} serves its
 * status API, metrics and web page, on which address and port, where the bearer token for mutating
 * calls comes from (an environment variable or a file, read when the server starts; none: mutating
 * calls are refused), and whether reads need the token too. Holds no secret.
 */
public record ApiSettings(
    Status status,
    String address,
    int port,
    Optional<String> tokenEnv,
    Optional<Path> tokenFile,
    Reads reads) {

  public ApiSettings {
    requireNonNull(status, "status is null");
    requireNonNull(address, "address is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
    }
    requireNonNull(tokenEnv, "tokenEnv is null");
    requireNonNull(tokenFile, "tokenFile is null");
    requireNonNull(reads, "reads is null");
  }

  /** Whether the scheduler serves the API. */
  public enum Status {
    ENABLED,
    DISABLED
  }

  /** Whether reads (GET of the API and /metrics) are open to anyone who reaches the port. */
  public enum Reads {
    OPEN,
    TOKEN
  }

  /** The setting that names where the token comes from, for messages. */
  public String tokenSource() {
    return tokenEnv
        .map(env -> "the environment variable " + env + " (lakeport.api.token-env)")
        .or(() -> tokenFile.map(file -> "the file " + file + " (lakeport.api.token-file)"))
        .orElse("no token (lakeport.api.token-env and token-file are unset)");
  }
}
