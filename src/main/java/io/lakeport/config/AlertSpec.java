package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When the scheduler raises an alert about a job ({@code alerts}): a run slower than a limit or
 * than a multiple of the median of its recent successful runs, an export not published by a
 * deadline, too many failed attempts in a period, and a run that wrote far fewer rows than the one
 * before. Each is off when empty.
 */
public record AlertSpec(
    Optional<Slowness> slowerThan,
    int baselineRuns,
    Optional<Deadline> lateAfter,
    Optional<FailureRate> failureRateOver,
    Optional<Double> rowsDropOver) {

  /** Successful runs a median needs before a run is compared with it. */
  public static final int MINIMUM_BASELINE = 3;

  public AlertSpec {
    requireNonNull(slowerThan, "slowerThan is null");
    if (baselineRuns < MINIMUM_BASELINE) {
      throw new IllegalArgumentException("baselineRuns must be at least " + MINIMUM_BASELINE);
    }
    requireNonNull(lateAfter, "lateAfter is null");
    requireNonNull(failureRateOver, "failureRateOver is null");
    requireNonNull(rowsDropOver, "rowsDropOver is null");
  }

  /** No alert at all. */
  public static AlertSpec none() {
    return new AlertSpec(
        Optional.empty(), 10, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether any alert is on. */
  public boolean any() {
    return slowerThan.isPresent()
        || lateAfter.isPresent()
        || failureRateOver.isPresent()
        || rowsDropOver.isPresent();
  }

  /** How slow a run may be: a fixed limit, or a multiple of the median of recent runs. */
  public sealed interface Slowness {
    /** What it says in the job file: {@code 2x} or {@code PT45M}. */
    String text();
  }

  /** Slower than {@code times} the median duration of the last successful runs. */
  public record Factor(double times) implements Slowness {
    public Factor {
      if (!(times > 1)) {
        throw new IllegalArgumentException("a factor must be above 1, not " + times);
      }
    }

    @Override
    public String text() {
      return (times == Math.rint(times) ? String.valueOf((long) times) : String.valueOf(times))
          + "x";
    }
  }

  /** Slower than a fixed duration. */
  public record Limit(Duration duration) implements Slowness {
    public Limit {
      requireNonNull(duration, "duration is null");
    }

    @Override
    public String text() {
      return duration.toString();
    }
  }

  /** By when a slot's export must be published. */
  public sealed interface Deadline {
    /** The deadline of the slot due at {@code due} (its schedule's wall clock). */
    Instant of(ZonedDateTime due);

    String text();
  }

  /**
   * By this wall-clock time in the job's time zone: the first such time at or after the slot is due
   * (a slot due at 02:00 with 07:00 must be published by 07:00 that day; one due at 08:00 by 07:00
   * the next day).
   */
  public record AtTime(LocalTime time) implements Deadline {
    public AtTime {
      requireNonNull(time, "time is null");
    }

    @Override
    public Instant of(ZonedDateTime due) {
      ZonedDateTime deadline = due.toLocalDate().atTime(time).atZone(due.getZone());
      return (deadline.isBefore(due) ? deadline.plusDays(1) : deadline).toInstant();
    }

    @Override
    public String text() {
      return time.toString();
    }
  }

  /** Within a duration of the slot's due time. */
  public record After(Duration duration) implements Deadline {
    public After {
      requireNonNull(duration, "duration is null");
    }

    @Override
    public Instant of(ZonedDateTime due) {
      return due.toInstant().plus(duration);
    }

    @Override
    public String text() {
      return duration.toString();
    }
  }

  /**
   * More than {@code share} (0 to 1) of the attempts that ended in the last {@code over} failed.
   */
  public record FailureRate(double share, Duration over) {
    public FailureRate {
      if (!(share >= 0 && share < 1)) {
        throw new IllegalArgumentException("share must be from 0 to below 1, not " + share);
      }
      requireNonNull(over, "over is null");
      if (over.isNegative() || over.isZero()) {
        throw new IllegalArgumentException("over must be positive, not " + over);
      }
    }
  }

  /** The zone a deadline's wall-clock time is in, for messages. */
  public static String describe(Deadline deadline, ZoneId zone) {
    return deadline instanceof AtTime at
        ? at.time() + " " + zone.getId()
        : "within " + deadline.text() + " of the slot";
  }
}
