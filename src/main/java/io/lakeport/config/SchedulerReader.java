package io.lakeport.config;

import java.time.Duration;
import java.util.Optional;

/** Reads {@code lakeport.scheduler} from the site settings. */
final class SchedulerReader {
  static final String MAX_CONCURRENT_RUNS = "max-concurrent-runs";
  static final String TICK = "tick";
  static final String MISSED_AFTER = "missed-after";
  static final String DEFAULT_TIMEOUT = "default-timeout";

  private SchedulerReader() {}

  /** Reads {@code key} (the {@code scheduler} block) of the {@code lakeport} section. */
  static SchedulerSettings read(Section site, String key) {
    Section scheduler = site.section(key, MAX_CONCURRENT_RUNS, TICK, MISSED_AFTER, DEFAULT_TIMEOUT);
    Optional<Long> max = scheduler.optionalLong(MAX_CONCURRENT_RUNS);
    if (max.isEmpty() || max.get() < 1 || max.get() > Integer.MAX_VALUE) {
      scheduler.problem(MAX_CONCURRENT_RUNS, "expected a whole number of at least 1, found \""
          + scheduler.optionalString(MAX_CONCURRENT_RUNS).orElse("") + "\"", "Use e.g. max-concurrent-runs = 2.");
    }
    return new SchedulerSettings(max.filter(m -> m >= 1 && m <= Integer.MAX_VALUE).orElse(1L).intValue(),
        positive(scheduler, TICK), positive(scheduler, MISSED_AFTER), positive(scheduler, DEFAULT_TIMEOUT));
  }

  private static Duration positive(Section scheduler, String key) {
    Optional<Duration> duration = scheduler.optionalDuration(key);
    if (duration.isEmpty() || duration.get().isNegative() || duration.get().isZero()) {
      scheduler.problem(key, "expected a duration longer than zero, found \"" + scheduler.optionalString(key).orElse("")
          + "\"", "Use e.g. " + key + " = 5 minutes.");
    }
    return duration.filter(d -> !d.isNegative() && !d.isZero()).orElse(Duration.ofMinutes(1));
  }
}
