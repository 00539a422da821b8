package io.lakeport.schedule.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the outcome file that {@link OutcomeFile} reads: how a driver's command ended (exit code,
 * the first error) and, per run, its id, job, status and what it wrote, or its exit code and error.
 * A launcher asks for it ({@code --outcome-file}) because spark-submit reports only whether the
 * driver failed, not why. Written whole when the command ends (a temporary file, then a rename), so
 * a reader never sees half of it. Without a file, records nothing.
 */
public final class OutcomeReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<Path> file;
  private final List<Map<String, Object>> runs = new ArrayList<>();
  private Optional<String> firstError = Optional.empty();

  private OutcomeReport(Optional<Path> file) {
    this.file = file;
  }

  /** A report written to {@code file} when there is one. */
  public static OutcomeReport to(Optional<Path> file) {
    return new OutcomeReport(file);
  }

  /** A report that records nothing. */
  public static OutcomeReport none() {
    return new OutcomeReport(Optional.empty());
  }

  /** Run {@code runId} of {@code job} ended without failing, having written {@code written}. */
  public synchronized void ended(String runId, String job, LaunchOutcome.Written written) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", runId);
    run.put("job", job);
    run.put("status", written.published() ? "published" : "skipped");
    run.put("rows", written.rows());
    run.put("bytes", written.bytes());
    run.put("files", written.files());
    run.put("manifest", written.manifest().isEmpty() ? null : written.manifest());
    runs.add(run);
  }

  /**
   * Run {@code runId} of {@code job} failed with {@code exitCode}; {@code error} is its first line.
   */
  public synchronized void failed(String runId, String job, int exitCode, String error) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", runId);
    run.put("job", job);
    run.put("status", "failed");
    run.put("exit_code", exitCode);
    run.put("error", error);
    runs.add(run);
    if (firstError.isEmpty()) {
      firstError = Optional.of(error);
    }
  }

  /**
   * The command ended with {@code exitCode}: writes the file, with the first failed run's error
   * when there was one. Returns {@code exitCode}.
   */
  public int finish(int exitCode) {
    return finish(exitCode, firstError);
  }

  /**
   * The command failed with {@code exitCode} and {@code error} (its first line): writes the file.
   */
  public int finish(int exitCode, String error) {
    return finish(exitCode, Optional.of(error));
  }

  private synchronized int finish(int exitCode, Optional<String> error) {
    if (file.isEmpty()) {
      return exitCode;
    }
    Map<String, Object> outcome = new LinkedHashMap<>();
    outcome.put("exit_code", exitCode);
    outcome.put("error", exitCode == 0 ? null : error.orElse(null));
    outcome.put("runs", runs);
    Path target = file.get().toAbsolutePath();
    Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      Files.write(temporary, JSON.writeValueAsBytes(outcome));
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the outcome file " + file.get() + ": " + e.getMessage(), e);
    }
    return exitCode;
  }
}
