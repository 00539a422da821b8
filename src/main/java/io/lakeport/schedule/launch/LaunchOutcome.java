package io.lakeport.schedule.launch;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How a launched run ended: its final state, the exit code of Lakeport's driver when it is known (0
 * ok, 2 config error, 3 external failure, 1 bug; see {@code lakeport --help}), and a one-line
 * summary of the error, and what a successful run wrote. The exit code decides whether a retry can
 * help.
 */
public record LaunchOutcome(
    State state, Optional<Integer> exitCode, String summary, Optional<Written> written) {
  /** Final states. */
  public enum State {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    LOST
  }

  public LaunchOutcome {
    requireNonNull(state, "state is null");
    requireNonNull(exitCode, "exitCode is null");
    requireNonNull(summary, "summary is null");
    requireNonNull(written, "written is null");
  }

  /** An outcome without what the run wrote (it wrote nothing, or the driver could not say). */
  public LaunchOutcome(State state, Optional<Integer> exitCode, String summary) {
    this(state, exitCode, summary, Optional.empty());
  }

  /**
   * What a finished run wrote, from the driver's outcome file: published (rows, bytes, files and
   * the manifest) or skipped (no rows, nothing published).
   */
  public record Written(boolean published, long rows, long bytes, long files, String manifest) {}
}
