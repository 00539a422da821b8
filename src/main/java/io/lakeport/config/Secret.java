package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a secret comes from: an environment variable or a file (surrounding white space ignored),
 * read when it is used, never when the settings are loaded, so that validating a job needs no
 * secret. {@link #toString()} names the place, never the value.
 */
public record Secret(Source source, String reference) {
  public Secret {
    requireNonNull(source, "source is null");
    requireNonNull(reference, "reference is null");
  }

  /** Where the value is read from. */
  public enum Source {
    ENVIRONMENT,
    FILE
  }

  public static Secret environment(String variable) {
    return new Secret(Source.ENVIRONMENT, variable);
  }

  public static Secret file(String path) {
    return new Secret(Source.FILE, path);
  }

  /** The value, from the process environment or the file. */
  public String reveal() {
    return reveal(System::getenv);
  }

  /**
   * The value, with environment variables looked up in {@code environment} (tests pass their own).
   *
   * @throws IllegalStateException naming the variable or file (never a value) when it cannot be
   *     read
   */
  public String reveal(UnaryOperator<String> environment) {
    return switch (source) {
      case ENVIRONMENT ->
          Optional.ofNullable(environment.apply(reference))
              .filter(v -> !v.isBlank())
              .map(String::strip)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the environment variable " + reference + " is not set"));
      case FILE -> {
        try {
          yield Files.readString(Path.of(reference)).strip();
        } catch (IOException e) {
          throw new IllegalStateException(
              "cannot read the file " + reference + ": " + e.getMessage(), e);
        }
      }
    };
  }

  @Override
  public String toString() {
    return switch (source) {
      case ENVIRONMENT -> "env:" + reference;
      case FILE -> "file:" + reference;
    };
  }
}
