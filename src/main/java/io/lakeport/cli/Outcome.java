package io.lakeport.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.run.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@code run} ended, written as JSON to {@code --outcome-file} for the launcher that started
 * it (spark-submit reports only whether the driver failed, not why): exit code, and per run its id,
 * status and manifest, or the error's first line. Written whole (temporary file, then rename).
 */
final class Outcome {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Optional<Path> file;
  private final List<Map<String, Object>> runs = new ArrayList<>();
  private String firstError;

  Outcome(Optional<Path> file) {
    this.file = file;
  }

  void ran(RunResult result) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", result.manifest().runId());
    run.put("job", result.manifest().job());
    run.put("status", result.status().name().toLowerCase(java.util.Locale.ROOT));
    run.put("rows", result.manifest().totals().rows());
    run.put("bytes", result.manifest().totals().bytes());
    run.put("files", result.manifest().totals().files());
    run.put("manifest", result.manifestPath().orElse(null));
    runs.add(run);
  }

  /**
   * A retention run: as the history keeps them, rows are the exports removed, bytes and files what
   * was deleted; there is no manifest.
   */
  void retained(String runId, String job, long exports, long bytes, long files) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", runId);
    run.put("job", job);
    run.put("status", "published");
    run.put("rows", exports);
    run.put("bytes", bytes);
    run.put("files", files);
    run.put("manifest", null);
    runs.add(run);
  }

  /** A run of several that failed; the others went on. */
  void failedRun(String runId, String job, int exitCode, Throwable error) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", runId);
    run.put("job", job);
    run.put("status", "failed");
    run.put("exit_code", exitCode);
    run.put("error", firstLine(error));
    runs.add(run);
    if (firstError == null) {
      firstError = firstLine(error);
    }
  }

  /** The command ended with {@code exitCode} after some of its runs failed ({@link #failedRun}). */
  int ended(int exitCode) {
    write(exitCode, firstError);
    return exitCode;
  }

  private static String firstLine(Throwable error) {
    return String.valueOf(error.getMessage())
        .lines()
        .findFirst()
        .orElse(error.getClass().getSimpleName());
  }

  int succeeded(int exitCode) {
    write(exitCode, null);
    return exitCode;
  }

  void failed(int exitCode, Throwable error) {
    write(exitCode, firstLine(error));
  }

  private void write(int exitCode, String error) {
    if (file.isEmpty()) {
      return;
    }
    Map<String, Object> outcome = new LinkedHashMap<>();
    outcome.put("exit_code", exitCode);
    outcome.put("error", error);
    outcome.put("runs", runs);
    try {
      Path target = file.get().toAbsolutePath();
      Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.write(temporary, JSON.writeValueAsBytes(outcome));
      Files.move(
          temporary,
          target,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the outcome file " + file.get() + ": " + e.getMessage(), e);
    }
  }
}
