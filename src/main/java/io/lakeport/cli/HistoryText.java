package io.lakeport.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** How the history commands show times, durations, counts and what is not there. */
final class HistoryText {
  static final String NONE = "-";

  private HistoryText() {}

  /** UTC to the second: {@code 2026-11-24T02:15:02Z}. */
  static String time(Optional<Instant> time) {
    return time.map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(NONE);
  }

  /** {@code 0.4s}, {@code 12.3s}, {@code 4m 05s}, {@code 2h 07m}. */
  static String duration(Optional<Duration> duration) {
    return duration.map(HistoryText::duration).orElse(NONE);
  }

  private static String duration(Duration d) {
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    if (d.compareTo(Duration.ofHours(1)) < 0) {
      return String.format(Locale.ROOT, "%dm %02ds", d.toMinutes(), d.toSecondsPart());
    }
    return String.format(Locale.ROOT, "%dh %02dm", d.toHours(), d.toMinutesPart());
  }

  /** {@code 1,234,567}. */
  static String count(Optional<Long> count) {
    return count.map(n -> String.format(Locale.ROOT, "%,d", n)).orElse(NONE);
  }

  /** An average, rounded: {@code 1,235}. */
  static String count(OptionalDouble average) {
    return average.isPresent()
        ? String.format(Locale.ROOT, "%,d", Math.round(average.getAsDouble()))
        : NONE;
  }

  /** {@code 83.3%}. */
  static String percent(OptionalDouble share) {
    return share.isPresent()
        ? String.format(Locale.ROOT, "%.1f%%", 100 * share.getAsDouble())
        : NONE;
  }
}
