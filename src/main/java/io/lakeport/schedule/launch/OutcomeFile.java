package io.lakeport.schedule.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JSON a driver writes with {@code lakeport run --outcome-file} ({@link OutcomeReport}): exit
 * code, error, and per run its status, rows, bytes, files and manifest. Both launchers read it,
 * since neither spark-submit nor a command line's exit code says what was written.
 */
record OutcomeFile(int exitCode, Optional<String> error, Optional<LaunchOutcome.Written> written) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The outcome at {@code file}; empty when the driver wrote none (it died first, or was never
   * asked).
   */
  static Optional<OutcomeFile> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode outcome = JSON.readTree(file.toFile());
      if (outcome == null || outcome.get("exit_code") == null) {
        return Optional.empty();
      }
      JsonNode error = outcome.get("error");
      JsonNode runs = outcome.get("runs");
      Optional<LaunchOutcome.Written> written = Optional.empty();
      for (JsonNode run : runs == null ? JSON.createArrayNode() : runs) {
        // the last run that wrote something; a failed run wrote nothing
        if (!"failed".equals(run.path("status").asText())) {
          written = Optional.of(written(run));
        }
      }
      return Optional.of(
          new OutcomeFile(
              outcome.get("exit_code").asInt(),
              error == null || error.isNull() ? Optional.empty() : Optional.of(error.asText()),
              written));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the outcome file " + file, e);
    }
  }

  private static LaunchOutcome.Written written(JsonNode run) {
    JsonNode manifest = run.get("manifest");
    return new LaunchOutcome.Written(
        "published".equals(run.get("status").asText()),
        run.get("rows").asLong(),
        run.get("bytes").asLong(),
        run.get("files").asLong(),
        manifest == null || manifest.isNull() ? "" : manifest.asText());
  }
}
