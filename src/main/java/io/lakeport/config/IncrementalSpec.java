package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a job picks the rows of a run beyond its plan ({@code incremental}): all of them ({@code
 * none}), the rows whose {@code column} is past the watermark the last published run reached, less
 * a {@code lookback} for late rows ({@code watermark}), or the rows a Delta source changed since
 * the version the last published run read ({@code change-feed}). Of a job with several inputs, the
 * increment applies to {@code inputs} (each with its own watermark), the others are read whole.
 */
public record IncrementalSpec(
    Mode mode, Optional<String> column, Duration lookback, List<String> inputs, Origin origin) {
  /** The kinds of increment. */
  public enum Mode {
    NONE,
    WATERMARK,
    CHANGE_FEED
  }

  public IncrementalSpec {
    requireNonNull(mode, "mode is null");
    requireNonNull(column, "column is null");
    requireNonNull(lookback, "lookback is null");
    inputs = List.copyOf(inputs);
    requireNonNull(origin, "origin is null");
  }

  /** Whether a run takes only an increment of input {@code input}. */
  public boolean of(String input) {
    return mode != Mode.NONE && inputs.contains(input);
  }
}
