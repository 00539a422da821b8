package io.lakeport.plan;

import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.minute;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_add;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;

import io.lakeport.config.PlanSpec.TimeUnit;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.TimestampNTZType;

/**
 * Time arithmetic in a job's time zone: parsing bound values, the start of the unit containing an
 * instant, and time-bucket columns that stay correct on daylight-saving days.
 *
 * <p>Zone-less ({@code TIMESTAMP_NTZ}) columns hold wall-clock values: their bounds and buckets are
 * computed on the local date-time itself, never through the job's zone, so a value in a
 * daylight-saving gap or overlap keeps its hour.
 */
final class Temporal {
  private static final long MICROS_PER_MINUTE = 60_000_000L;
  private static final long MINUTES_PER_DAY = 24 * 60;
  private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

  private Temporal() {}

  /**
   * Reads a bound: an instant with offset ({@code 2026-11-23T10:00:00Z}), a local date-time, or a
   * date (its start), the local forms in {@code zone}.
   *
   * @throws DateTimeParseException when the text is none of these
   */
  static ZonedDateTime parse(String text, ZoneId zone) {
    try {
      return Instant.parse(text).atZone(zone);
    } catch (DateTimeParseException e) {
      try {
        return ZonedDateTime.parse(text).withZoneSameInstant(zone);
      } catch (DateTimeParseException e2) {
        try {
          return LocalDateTime.parse(text).atZone(zone);
        } catch (DateTimeParseException e3) {
          return LocalDate.parse(text).atStartOfDay(zone);
        }
      }
    }
  }

  /**
   * Reads a bound for a zone-less column: a local date-time or a date (its start) as written, or an
   * instant with offset as the wall-clock time in {@code zone} at that instant.
   *
   * @throws DateTimeParseException when the text is none of these
   */
  static LocalDateTime parseLocal(String text, ZoneId zone) {
    try {
      return LocalDateTime.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(text).atStartOfDay();
      } catch (DateTimeParseException e2) {
        return parse(text, zone).toLocalDateTime();
      }
    }
  }

  /** The start of the unit that contains the wall-clock {@code time} (no zone, no DST). */
  static LocalDateTime start(LocalDateTime time, TimeUnit unit) {
    return start(time.atZone(ZoneOffset.UTC), unit).toLocalDateTime();
  }

  /** The start of the unit after the one that contains the wall-clock {@code time}. */
  static LocalDateTime next(LocalDateTime time, TimeUnit unit) {
    return next(time.atZone(ZoneOffset.UTC), unit).toLocalDateTime();
  }

  /** The start of the unit (in local time) that contains {@code time}. */
  static ZonedDateTime start(ZonedDateTime time, TimeUnit unit) {
    return switch (unit) {
      case MINUTE -> time.truncatedTo(ChronoUnit.MINUTES);
      case HOUR -> time.truncatedTo(ChronoUnit.HOURS);
      case DAY -> time.toLocalDate().atStartOfDay(time.getZone());
      case WEEK ->
          time.toLocalDate()
              .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
              .atStartOfDay(time.getZone());
      case MONTH -> time.toLocalDate().withDayOfMonth(1).atStartOfDay(time.getZone());
    };
  }

  /** The start of the unit after the one that contains {@code time}. */
  static ZonedDateTime next(ZonedDateTime time, TimeUnit unit) {
    ZonedDateTime start = start(time, unit);
    return switch (unit) {
      case MINUTE -> start.plusMinutes(1);
      case HOUR -> start.plusHours(1);
      case DAY -> start.toLocalDate().plusDays(1).atStartOfDay(time.getZone());
      case WEEK -> start.toLocalDate().plusWeeks(1).atStartOfDay(time.getZone());
      case MONTH -> start.toLocalDate().plusMonths(1).atStartOfDay(time.getZone());
    };
  }

  /** The start of the unit that contains {@code date}, for date columns. */
  static LocalDate start(LocalDate date, TimeUnit unit) {
    return start(date.atStartOfDay(ZoneId.of("UTC")), unit).toLocalDate();
  }

  /** The first day of the unit after the one containing {@code date}, for date columns. */
  static LocalDate next(LocalDate date, TimeUnit unit) {
    return unit == TimeUnit.MINUTE || unit == TimeUnit.HOUR
        ? date.plusDays(1)
        : next(date.atStartOfDay(ZoneId.of("UTC")), unit).toLocalDate();
  }

  /**
   * The bucket start of a timestamp column. Minute and hour buckets are computed on the instant,
   * shifted by the zone's offset at that instant, so both 01:00 hours of an autumn DST change are
   * separate buckets and zones with half-hour offsets align to their local hours. Day, week and
   * month buckets truncate local time; they need the session time zone set to {@code zone}. A
   * zone-less column of {@code type} gets wall-clock buckets of the same type instead.
   */
  static Column bucket(Column timestamp, DataType type, int amount, TimeUnit unit, ZoneId zone) {
    if (type instanceof TimestampNTZType) {
      return wallClockBucket(timestamp, amount, unit);
    }
    return switch (unit) {
      case MINUTE, HOUR -> {
        long size = amount * (unit == TimeUnit.HOUR ? 60 : 1) * MICROS_PER_MINUTE;
        Column micros = unix_micros(timestamp);
        Column offset = unix_micros(from_utc_timestamp(timestamp, zone.getId())).minus(micros);
        yield timestamp_micros(micros.minus(pmod(micros.plus(offset), lit(size))));
      }
      case DAY -> date_trunc("DAY", timestamp);
      case WEEK -> date_trunc("WEEK", timestamp);
      case MONTH -> date_trunc("MONTH", timestamp);
    };
  }

  /**
   * The bucket start of a zone-less column, from its date, hour and minute (which Spark reads
   * without a zone); minute and hour buckets count from 1970-01-01 00:00 as the zoned ones do.
   */
  private static Column wallClockBucket(Column timestamp, int amount, TimeUnit unit) {
    Column day = timestamp.cast(DataTypes.DateType);
    return switch (unit) {
      case MINUTE, HOUR -> {
        long size = amount * (unit == TimeUnit.HOUR ? 60L : 1L);
        Column minutes =
            unix_date(day)
                .cast(DataTypes.LongType)
                .multiply(MINUTES_PER_DAY)
                .plus(hour(timestamp).multiply(60))
                .plus(minute(timestamp));
        yield timestamp_add("MINUTE", minutes.minus(pmod(minutes, lit(size))), lit(EPOCH));
      }
      case DAY -> day.cast(DataTypes.TimestampNTZType);
      case WEEK -> trunc(day, "week").cast(DataTypes.TimestampNTZType);
      case MONTH -> trunc(day, "month").cast(DataTypes.TimestampNTZType);
    };
  }
}
