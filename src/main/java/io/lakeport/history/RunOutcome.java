package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How a run's attempt ended: its final status, the exit code (0 ok, 2 a mistake in the job, 3 a
 * failure outside Lakeport, 1 a bug), what it wrote, and for a failure a summary of the error.
 */
public record RunOutcome(
    RunStatus status,
    int exitCode,
    Optional<Long> rows,
    Optional<Long> bytes,
    Optional<Long> files,
    Optional<String> manifest,
    Optional<String> error) {

  /** Longer error summaries are cut here: the full story is in the run's log. */
  static final int MAX_ERROR = 2000;

  public RunOutcome {
    requireNonNull(status, "status is null");
    if (!status.ended()) {
      throw new IllegalArgumentException(
          "a run ends succeeded, failed, skipped, cancelled or interrupted, not " + status.text());
    }
    requireNonNull(rows, "rows is null");
    requireNonNull(bytes, "bytes is null");
    requireNonNull(files, "files is null");
    requireNonNull(manifest, "manifest is null");
    error = requireNonNull(error, "error is null").map(RunOutcome::summary);
  }

  /** A published run: what it wrote and where its manifest is. */
  public static RunOutcome succeeded(long rows, long bytes, long files, String manifest) {
    return new RunOutcome(
        RunStatus.SUCCEEDED,
        0,
        Optional.of(rows),
        Optional.of(bytes),
        Optional.of(files),
        Optional.of(manifest),
        Optional.empty());
  }

  /**
   * A run that had no rows and, as its job says ({@code sink.on-empty = skip}), published nothing.
   */
  public static RunOutcome skipped() {
    return new RunOutcome(
        RunStatus.SKIPPED,
        0,
        Optional.of(0L),
        Optional.of(0L),
        Optional.of(0L),
        Optional.empty(),
        Optional.empty());
  }

  public static RunOutcome failed(int exitCode, String error) {
    return new RunOutcome(
        RunStatus.FAILED,
        exitCode,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(error));
  }

  /**
   * A run whose process was stopped (SIGTERM) while it ran; exit code 128 + the signal's number.
   */
  public static RunOutcome interrupted(int exitCode, String reason) {
    return new RunOutcome(
        RunStatus.INTERRUPTED,
        exitCode,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(reason));
  }

  /** At most {@link #MAX_ERROR} characters, cut with a mark. */
  static String summary(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 3) + "...";
  }
}
