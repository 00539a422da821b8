package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * When a job runs by itself (its {@code schedule} block): the timing, the zone its times are read
 * in, whether it is switched on, when a run may start, what happens to slots missed while the
 * scheduler was down, which {@code run_date} a slot hands to the job, and how failed runs are
 * retried, and which jobs must have published a window before the job's run for it starts ({@code
 * after}, waiting up to {@code upstreamTimeout} after the slot). A job without the block is run by
 * hand only. Read by {@link ScheduleReader}.
 */
public record ScheduleSpec(
    Timing timing,
    ZoneId timeZone,
    Status status,
    Optional<ExecutionWindow> executionWindow,
    Misfire misfire,
    RunDate runDate,
    RetrySpec retry,
    Optional<Duration> timeout,
    List<String> after,
    Duration upstreamTimeout,
    Origin origin,
    Origin afterOrigin) {

  public ScheduleSpec {
    requireNonNull(timing, "timing is null");
    requireNonNull(timeZone, "timeZone is null");
    requireNonNull(status, "status is null");
    requireNonNull(executionWindow, "executionWindow is null");
    requireNonNull(misfire, "misfire is null");
    requireNonNull(runDate, "runDate is null");
    requireNonNull(retry, "retry is null");
    requireNonNull(timeout, "timeout is null");
    after = List.copyOf(after);
    requireNonNull(upstreamTimeout, "upstreamTimeout is null");
    requireNonNull(origin, "origin is null");
    requireNonNull(afterOrigin, "afterOrigin is null");
  }

  /** Whether the scheduler starts runs of the job ({@code enabled = true|false}). */
  public enum Status {
    ENABLED,
    DISABLED
  }

  /** Slots missed while the scheduler was down: run each, only the newest, or none. */
  public enum Misfire {
    ALL,
    LATEST,
    NONE;

    /** The missed slots (oldest first) to run now, oldest first; the others are skipped. */
    public <T> List<T> select(List<T> missed) {
      return switch (this) {
        case ALL -> List.copyOf(missed);
        case LATEST -> missed.isEmpty() ? List.of() : List.of(missed.get(missed.size() - 1));
        case NONE -> List.of();
      };
    }
  }

  /**
   * The {@code run_date} a slot hands to the job, a date in the job's time zone: the first day of
   * the last window (the job's {@code window}) that has ended at the slot, or the slot's own date.
   */
  public enum RunDate {
    PREVIOUS_WINDOW,
    SLOT
  }

  /**
   * How the wait between attempts grows: the same each time, by {@code delay} each time, or
   * doubling.
   */
  public enum Backoff {
    FIXED,
    LINEAR,
    EXPONENTIAL
  }

  /**
   * Retries of failed runs: {@code attempts} in all (1: no retry), waiting {@code delay} grown by
   * {@code backoff}, at most {@code maxDelay}, spread by {@code jitter} (a share, 0 to 1).
   */
  public record RetrySpec(
      int attempts, Backoff backoff, Duration delay, Duration maxDelay, double jitter) {
    public RetrySpec {
      requireNonNull(backoff, "backoff is null");
      requireNonNull(delay, "delay is null");
      requireNonNull(maxDelay, "maxDelay is null");
    }
  }

  /**
   * Local times of day between which a run may start; {@code end} before {@code start} wraps
   * midnight.
   */
  public record ExecutionWindow(LocalTime start, LocalTime end) {
    public ExecutionWindow {
      requireNonNull(start, "start is null");
      requireNonNull(end, "end is null");
    }

    public boolean wrapsMidnight() {
      return end.isBefore(start);
    }

    /** Whether a local time of day lies in the window (start included, end excluded). */
    public boolean contains(LocalTime time) {
      return wrapsMidnight()
          ? !time.isBefore(start) || time.isBefore(end)
          : !time.isBefore(start) && time.isBefore(end);
    }

    @Override
    public String toString() {
      return start + "-" + end;
    }
  }

  /**
   * When slots fall, as wall-clock times of the schedule's zone: a cron expression or one of the
   * shorthands. Each compiles to a cron-utils {@link Cron} (the shorthands to Quartz syntax).
   */
  public sealed interface Timing permits CronTiming, Hourly, Daily, Weekly, Monthly {
    Cron cron();

    /** The timing in words, for {@code lakeport schedule list}. */
    String describe();
  }

  /** {@code cron = "..."}: 5 fields (Unix) or 6 to 7 (Quartz, seconds first, optional year). */
  public record CronTiming(String expression, Cron cron) implements Timing {
    public CronTiming {
      requireNonNull(expression, "expression is null");
      requireNonNull(cron, "cron is null");
    }

    @Override
    public String describe() {
      return "cron \""
          + expression
          + "\" ("
          + CronDescriptor.instance(Locale.UK).describe(cron)
          + ")";
    }
  }

  /** {@code every = hourly, minute = 15}. */
  public record Hourly(int minute, Cron cron) implements Timing {
    public Hourly {
      requireNonNull(cron, "cron is null");
    }

    @Override
    public String describe() {
      return "hourly at minute " + minute;
    }
  }

  /** {@code every = daily, run-time = "02:30"}. */
  public record Daily(LocalTime at, Cron cron) implements Timing {
    public Daily {
      requireNonNull(at, "at is null");
      requireNonNull(cron, "cron is null");
    }

    @Override
    public String describe() {
      return "daily at " + at;
    }
  }

  /** {@code every = weekly, day-of-week = sunday, run-time = "02:30"}. */
  public record Weekly(DayOfWeek day, LocalTime at, Cron cron) implements Timing {
    public Weekly {
      requireNonNull(day, "day is null");
      requireNonNull(at, "at is null");
      requireNonNull(cron, "cron is null");
    }

    @Override
    public String describe() {
      return "weekly on " + day.getDisplayName(TextStyle.FULL, Locale.UK) + " at " + at;
    }
  }

  /**
   * {@code every = monthly, day-of-month = 1..31 | last, run-time = "03:00"}; {@code day} is empty
   * for the last day of the month. Months without the day are skipped, as in cron.
   */
  public record Monthly(OptionalInt day, LocalTime at, Cron cron) implements Timing {
    public Monthly {
      requireNonNull(day, "day is null");
      requireNonNull(at, "at is null");
      requireNonNull(cron, "cron is null");
    }

    @Override
    public String describe() {
      return "monthly on "
          + (day.isPresent() ? "day " + day.getAsInt() : "the last day")
          + " at "
          + at;
    }
  }
}
