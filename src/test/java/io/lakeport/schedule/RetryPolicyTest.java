package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeport.config.ScheduleSpec.Backoff;
import io.lakeport.config.ScheduleSpec.RetrySpec;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Waits between attempts and which failures are retried; jitter drawn from seeded generators. */
class RetryPolicyTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HALF_HOUR = Duration.ofMinutes(30);

  @Test
  void fixedLinearAndExponentialBackoffAreCappedAtMaxDelay() {
    assertThat(delays(Backoff.FIXED)).containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L);
    assertThat(delays(Backoff.LINEAR)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(delays(Backoff.EXPONENTIAL)).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
    assertThat(policy(Backoff.EXPONENTIAL, 0).delay(500, new SplittableRandom(1)))
        .as("no overflow")
        .isEqualTo(HALF_HOUR);
  }

  @Test
  void jitterSpreadsEachDelayWithinItsShareAndNeverAboveMaxDelay() {
    RetryPolicy policy = policy(Backoff.EXPONENTIAL, 0.1);
    SplittableRandom random = new SplittableRandom(42);

    List<Duration> third = IntStream.range(0, 1000).mapToObj(i -> policy.delay(3, random)).toList();
    List<Duration> capped =
        IntStream.range(0, 1000).mapToObj(i -> policy.delay(6, random)).toList();

    assertThat(third)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(216), Duration.ofSeconds(264)));
    assertThat(third.stream().distinct().count()).as("spread, not one value").isGreaterThan(900);
    assertThat(third)
        .anySatisfy(d -> assertThat(d).isLessThan(Duration.ofSeconds(220)))
        .anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofSeconds(260)));
    assertThat(capped).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMinutes(27), HALF_HOUR));
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    RetryPolicy policy = policy(Backoff.LINEAR, 0.5);

    assertThat(IntStream.rangeClosed(1, 5).mapToObj(n -> policy.delay(n, new SplittableRandom(7))))
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, 5)
                .mapToObj(n -> policy.delay(n, new SplittableRandom(7)))
                .toList());
  }

  @Test
  void onlyExternalFailuresAndTimeoutsAreRetried() {
    assertThat(RetryPolicy.retryable(3)).as("external failure").isTrue();
    assertThat(RetryPolicy.retryable(Failure.TIMEOUT)).isTrue();
    assertThat(RetryPolicy.retryable(2)).as("config error").isFalse();
    assertThat(RetryPolicy.retryable(1)).as("bug").isFalse();
    assertThat(RetryPolicy.retryable(137)).as("killed without Lakeport's exit code").isFalse();
    assertThatThrownBy(() -> RetryPolicy.retryable(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void attemptsCountTheFirstRun() {
    RetryPolicy three = new RetryPolicy(new RetrySpec(3, Backoff.FIXED, MINUTE, HALF_HOUR, 0));

    assertThat(three.allowsRetry(1, Failure.EXTERNAL)).isTrue();
    assertThat(three.allowsRetry(2, Failure.TIMEOUT)).isTrue();
    assertThat(three.allowsRetry(3, Failure.EXTERNAL)).as("the third was the last").isFalse();
    assertThat(three.allowsRetry(1, Failure.CONFIG)).isFalse();
    assertThatThrownBy(() -> three.delay(0, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Long> delays(Backoff backoff) {
    RetryPolicy policy = policy(backoff, 0);
    return IntStream.rangeClosed(1, 7)
        .mapToObj(n -> policy.delay(n, new SplittableRandom(n)).toMinutes())
        .toList();
  }

  private static RetryPolicy policy(Backoff backoff, double jitter) {
    return new RetryPolicy(new RetrySpec(3, backoff, MINUTE, HALF_HOUR, jitter));
  }
}
