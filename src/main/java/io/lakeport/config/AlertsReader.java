package io.lakeport.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.lakeport.config.AlertSpec.After;
import io.lakeport.config.AlertSpec.AtTime;
import io.lakeport.config.AlertSpec.Deadline;
import io.lakeport.config.AlertSpec.Factor;
import io.lakeport.config.AlertSpec.FailureRate;
import io.lakeport.config.AlertSpec.Limit;
import io.lakeport.config.AlertSpec.Slowness;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a job's {@code alerts} block (over {@code lakeport.job-defaults.alerts}, which a site may
 * set): each alert is {@code off} or its threshold, and a threshold that cannot be read is a
 * problem at its {@code file:line} with the forms it takes.
 */
final class AlertsReader {
  static final String SLOWER_THAN = "slower-than";
  static final String BASELINE_RUNS = "baseline-runs";
  static final String LATE_AFTER = "late-after";
  static final String FAILURE_RATE_OVER = "failure-rate-over";
  static final String ROWS_DROP_OVER = "rows-drop-over";
  static final String[] KEYS = {
    SLOWER_THAN, BASELINE_RUNS, LATE_AFTER, FAILURE_RATE_OVER, ROWS_DROP_OVER
  };

  /** What turns an alert off ({@code false}: HOCON's unquoted boolean). */
  private static final Set<String> OFF = Set.of("off", "false", "none");

  private static final Pattern FACTOR = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*x");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%\\s+over\\s+(.+)");

  private final Section alerts;

  AlertsReader(Section alerts) {
    this.alerts = alerts;
  }

  AlertSpec read() {
    Optional<Slowness> slower = on(SLOWER_THAN).flatMap(this::slowness);
    int baseline =
        alerts
            .optionalLong(BASELINE_RUNS)
            .filter(
                n -> {
                  if (n < AlertSpec.MINIMUM_BASELINE || n > 1000) {
                    alerts.problem(
                        BASELINE_RUNS,
                        "baseline-runs is " + n,
                        "Use a number of successful runs from "
                            + AlertSpec.MINIMUM_BASELINE
                            + " to 1000 (the median of that many is the baseline).");
                    return false;
                  }
                  return true;
                })
            .map(Long::intValue)
            .orElse(10);
    return new AlertSpec(
        slower,
        baseline,
        on(LATE_AFTER).flatMap(this::deadline),
        on(FAILURE_RATE_OVER).flatMap(this::failureRate),
        on(ROWS_DROP_OVER).flatMap(text -> share(ROWS_DROP_OVER, text, PERCENT.matcher(text))));
  }

  /** The key's value, empty when it is off. */
  private Optional<String> on(String key) {
    return alerts
        .optionalString(key)
        .map(String::trim)
        .filter(text -> !OFF.contains(text.toLowerCase(Locale.ROOT)));
  }

  private Optional<Slowness> slowness(String text) {
    Matcher factor = FACTOR.matcher(text);
    if (factor.matches()) {
      double times = Double.parseDouble(factor.group(1));
      if (times > 1) {
        return Optional.of(new Factor(times));
      }
      alerts.problem(
          SLOWER_THAN,
          "slower-than = " + text + " would alert on every run",
          "Use a factor above 1, such as 2x (twice the median of the last successful runs).");
      return Optional.empty();
    }
    return duration(
            SLOWER_THAN,
            text,
            "Use off, a factor of the median of the last successful runs (2x) or a duration"
                + " (45m, 2h).")
        .map(Limit::new);
  }

  private Optional<Deadline> deadline(String text) {
    if (text.matches("\\d{1,2}:\\d{2}")) {
      try {
        return Optional.of(new AtTime(LocalTime.parse(text.length() == 4 ? "0" + text : text)));
      } catch (DateTimeParseException e) {
        alerts.problem(
            LATE_AFTER,
            "late-after = \"" + text + "\" is not a time of day",
            "Use HH:mm in the job's time zone, such as \"07:00\".");
        return Optional.empty();
      }
    }
    return duration(
            LATE_AFTER,
            text,
            "Use off, a time of day in the job's time zone (\"07:00\": the first 07:00 at or after"
                + " the slot) or a duration after the slot (3h).")
        .map(After::new);
  }

  private Optional<FailureRate> failureRate(String text) {
    Matcher rate = RATE.matcher(text);
    String fix = "Write a share of failed attempts and a period, such as \"20% over 24h\".";
    if (!rate.matches()) {
      alerts.problem(FAILURE_RATE_OVER, "cannot read \"" + text + "\"", fix);
      return Optional.empty();
    }
    Optional<Double> share = share(FAILURE_RATE_OVER, text, PERCENT.matcher(rate.group(1) + "%"));
    Optional<Duration> over = duration(FAILURE_RATE_OVER, rate.group(2), fix);
    return share.flatMap(s -> over.map(o -> new FailureRate(s, o)));
  }

  /** A percentage from 0 (inclusive) to 100 (exclusive), as a share. */
  private Optional<Double> share(String key, String text, Matcher percent) {
    if (percent.matches()) {
      double value = Double.parseDouble(percent.group(1));
      if (value < 100) {
        return Optional.of(value / 100);
      }
    }
    alerts.problem(
        key,
        "expected a percentage below 100%, found \"" + text + "\"",
        "Write it with a percent sign, such as " + key + " = \"50%\", or off.");
    return Optional.empty();
  }

  /** A positive HOCON duration ({@code 45m}, {@code 2 hours}) inside a value. */
  private Optional<Duration> duration(String key, String text, String fix) {
    try {
      Duration duration =
          ConfigFactory.empty()
              .withValue("d", ConfigValueFactory.fromAnyRef(text.trim()))
              .getDuration("d");
      if (!duration.isNegative() && !duration.isZero()) {
        return Optional.of(duration);
      }
    } catch (ConfigException e) {
      // reported below
    }
    alerts.problem(key, "cannot read \"" + text + "\"", fix);
    return Optional.empty();
  }
}
