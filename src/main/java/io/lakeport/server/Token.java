package io.lakeport.server;

import io.lakeport.config.ApiSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The bearer token that mutating calls (and reads, when they are not open) must carry. Only its
 * SHA-256 is kept, and a presented token is compared by digest in constant time, so neither the
 * token nor how much of it matched can leak.
 */
final class Token {
  private static final String BEARER = "Bearer ";
  private final Optional<byte[]> digest;

  private Token(Optional<byte[]> digest) {
    this.digest = digest;
  }

  /**
   * The token the settings point at, read now; none when neither token-env nor token-file is set.
   */
  static Token of(ApiSettings settings, Function<String, String> environment) {
    Optional<String> token =
        settings
            .tokenEnv()
            .map(
                variable -> {
                  String value = environment.apply(variable);
                  if (value == null) {
                    throw ApiErrors.unsetTokenVariable(variable);
                  }
                  return value;
                })
            .or(
                () ->
                    settings
                        .tokenFile()
                        .map(
                            file -> {
                              try {
                                return Files.readString(file, StandardCharsets.UTF_8);
                              } catch (IOException e) {
                                throw ApiErrors.unreadableTokenFile(
                                    file.toString(),
                                    e.getClass().getSimpleName() + " " + e.getMessage());
                              }
                            }));
    token
        .filter(t -> t.strip().isEmpty())
        .ifPresent(
            t -> {
              throw ApiErrors.emptyToken(settings.tokenSource());
            });
    return new Token(token.map(t -> sha256(t.strip())));
  }

  /** No token: mutating calls are refused. */
  static Token none() {
    return new Token(Optional.empty());
  }

  /** Whether a token is set. */
  boolean configured() {
    return digest.isPresent();
  }

  /** Passes when the Authorization header carries the token; otherwise the error to answer with. */
  void check(Optional<String> authorization) {
    if (digest.isEmpty()) {
      throw ApiErrors.noTokenConfigured();
    }
    Optional<String> presented =
        authorization
            .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
            .map(h -> h.substring(BEARER.length()).strip());
    if (presented.isEmpty() || presented.get().isEmpty()) {
      throw ApiErrors.missingToken();
    }
    if (!MessageDigest.isEqual(digest.get(), sha256(presented.get()))) {
      throw ApiErrors.wrongToken();
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
