package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.ScheduleSpec.RetrySpec;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed run is tried again, and after how long. Only failures that can pass are retried:
 * one outside Lakeport (exit 3: storage, Spark, the network) and a timeout; a config error (exit 2)
 * fails the same way every time, and a bug (exit 1) is not hidden behind retries.
 */
public final class RetryPolicy {
  private final RetrySpec spec;

  RetryPolicy(RetrySpec spec) {
    this.spec = requireNonNull(spec, "spec is null");
  }

  /** Runs in all, the first included. */
  public int attempts() {
    return spec.attempts();
  }

  /**
   * Whether attempt {@code attempt} (1: the first run), failed this way, is followed by another.
   */
  public boolean allowsRetry(int attempt, Failure failure) {
    return attempt < spec.attempts() && retryable(failure);
  }

  /**
   * The wait after failed attempt {@code attempt} (1: the first run): {@code delay}, grown by the
   * backoff (linear: times the attempt; exponential: doubled per attempt), capped at {@code
   * max-delay}, then spread at random by up to {@code jitter} either way, never above {@code
   * max-delay}.
   */
  public Duration delay(int attempt, RandomGenerator random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt counts from 1 (the first run), was " + attempt);
    }
    double max = spec.maxDelay().toMillis();
    double base = Math.min(max, spec.delay().toMillis() * growth(attempt));
    double spread = 1 + spec.jitter() * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.round(Math.min(max, base * spread)));
  }

  private double growth(int attempt) {
    return switch (spec.backoff()) {
      case FIXED -> 1;
      case LINEAR -> attempt;
      case EXPONENTIAL -> Math.pow(2, attempt - 1);
    };
  }

  /** Whether a run that ended with this exit code may succeed when tried again (only exit 3). */
  public static boolean retryable(int exitCode) {
    return retryable(Failure.ofExitCode(exitCode));
  }

  /** Whether a run that failed this way may succeed when tried again. */
  public static boolean retryable(Failure failure) {
    return switch (failure) {
      case EXTERNAL, TIMEOUT -> true;
      case CONFIG, REFUSED, BUG -> false;
    };
  }
}
