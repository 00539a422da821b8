package io.lakeport.run;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Deterministic source rows with the values engines disagree on: non-ASCII and case-changing text
 * (Zürich, 東京, emoji, ß, İ, ǅ), NaN, -0.0, infinities, extreme decimals, the first and last date,
 * timestamps every 15 minutes across the DST changes of Berlin and New York (and one before time
 * zones, in local mean time), zone-less wall-clock times that do not exist or exist twice in those
 * zones, and text for standardisation that parses, half parses or does not parse. Nulls in every
 * nullable column, at different strides so they combine.
 */
final class AwkwardRows {
  static final int COUNT = 480;

  static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("city", DataTypes.StringType)
          .add("qty", DataTypes.IntegerType)
          .add("score", DataTypes.DoubleType)
          .add("amount", DataTypes.createDecimalType(12, 2))
          .add("big", DataTypes.createDecimalType(38, 10))
          .add("day", DataTypes.DateType)
          .add("ts", DataTypes.TimestampType)
          .add("local", DataTypes.TimestampNTZType)
          .add("flag", DataTypes.BooleanType)
          .add("ip", DataTypes.StringType)
          .add("iso", DataTypes.StringType)
          .add("pattern", DataTypes.StringType)
          .add("seconds", DataTypes.StringType)
          .add("millis", DataTypes.LongType)
          .add("day_text", DataTypes.StringType);

  private static final String[] CITIES = {
    "Zürich",
    "東京",
    "São Paulo",
    "🚀 launch",
    "ascii",
    "",
    "İstanbul",
    "straße",
    "ǅemal",
    "MÜNCHEN",
    "Åre",
    "naïve café",
    "Ελλάδα"
  };

  /** DST changes: Berlin spring and autumn, New York spring and autumn (UTC instants). */
  private static final Instant[] CHANGES = {
    Instant.parse("2026-03-29T01:00:00Z"),
    Instant.parse("2026-10-25T01:00:00Z"),
    Instant.parse("2026-03-08T07:00:00Z"),
    Instant.parse("2026-11-01T06:00:00Z")
  };

  /** Wall-clock times that do not exist (spring) or exist twice (autumn) in Berlin or New York. */
  private static final LocalDateTime[] WALL_CLOCKS = {
    LocalDateTime.parse("2026-03-29T02:30:00"),
    LocalDateTime.parse("2026-10-25T02:30:00"),
    LocalDateTime.parse("2026-03-08T02:15:00"),
    LocalDateTime.parse("2026-11-01T01:45:00"),
    LocalDateTime.parse("2026-03-29T23:59:59.999999"),
    LocalDateTime.parse("2026-12-31T23:30:00")
  };

  private static final String[] ISO = {
    "2026-03-29T02:30:00",
    "2026-10-25T02:30:00",
    "2026-03-29T01:30:00Z",
    "2026-03-29T03:30:00+02:00",
    "2026-11-01T01:30:00-04:00",
    "2026-03-29",
    "not a time",
    "",
    "2026-02-30T10:00:00",
    "2026-03-29 02:30:00.123456"
  };

  private static final String[] PATTERN = {
    "29/03/2026 02:30",
    "25/10/2026 02:30",
    "08/03/2026 02:15",
    "31/12/2026 23:59",
    "2026-03-29",
    "32/01/2026 10:00"
  };

  private static final String[] SECONDS = {
    "1774746000", "1774746000.5", "-1.25", "soon", "1e9", "0"
  };

  private static final String[] DAY_TEXT = {
    "29.03.2026", "25.10.2026", "01.01.0001", "31.12.9999", "29.02.2026", "x"
  };

  private AwkwardRows() {}

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      rows.add(
          RowFactory.create(
              (long) i,
              i % 17 == 0 ? null : CITIES[i % CITIES.length],
              i % 7 == 0 ? null : qty(i),
              i % 11 == 0 ? null : score(i),
              i % 13 == 0
                  ? null
                  : new BigDecimal((i * 7_919L % 2_000_001) - 1_000_000).movePointLeft(2),
              i % 19 == 0 ? null : big(i),
              i % 23 == 0 ? null : Date.valueOf(day(i)),
              i % 29 == 0 ? null : Timestamp.from(ts(i)),
              i % 31 == 0 ? null : WALL_CLOCKS[i % WALL_CLOCKS.length].plusMinutes(15L * (i % 9)),
              i % 5 == 0 ? null : i % 3 == 0,
              i % 37 == 0 ? null : (i % 2 == 0 ? "10.0." : "172.16." + (i % 3) + ".") + i % 50,
              i % 41 == 0 ? null : ISO[i % ISO.length],
              i % 43 == 0 ? null : PATTERN[i % PATTERN.length],
              i % 47 == 0 ? null : SECONDS[i % SECONDS.length],
              i % 53 == 0 ? null : 1_774_746_000_000L + 900_000L * i - 86_400_000L * (i % 4),
              i % 59 == 0 ? null : DAY_TEXT[i % DAY_TEXT.length]));
    }
    return rows;
  }

  private static int qty(int i) {
    return switch (i % 50) {
      case 1 -> Integer.MAX_VALUE;
      case 2 -> Integer.MIN_VALUE;
      default -> (i * 37 % 201) - 100;
    };
  }

  private static double score(int i) {
    return switch (i % 60) {
      case 3 -> Double.NaN;
      case 4 -> -0.0;
      case 5 -> 0.0;
      case 6 -> i % 120 == 6 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 7 -> 1e-300;
      case 8 -> 1.7e300;
      default -> (i * 0.6180339887498949) % 1.0 - 0.25 + i / 1000.0;
    };
  }

  private static BigDecimal big(int i) {
    BigDecimal value =
        new BigDecimal("1234567890123456789.0123456789").multiply(BigDecimal.valueOf(i % 97));
    return (i % 2 == 0 ? value : value.negate()).add(new BigDecimal(i).movePointLeft(10));
  }

  private static LocalDate day(int i) {
    return switch (i % 100) {
      case 9 -> LocalDate.of(1, 1, 1);
      case 10 -> LocalDate.of(9999, 12, 31);
      case 11 -> LocalDate.of(1582, 10, 4);
      default -> LocalDate.parse("2026-03-26").plusDays(i % 10L + 210L * (i % 2));
    };
  }

  private static Instant ts(int i) {
    if (i % 100 == 12) {
      return Instant.parse("1850-06-01T12:00:00Z"); // before time zones: local mean time
    }
    Instant change = CHANGES[i % CHANGES.length];
    return change.plusSeconds(900L * ((i / 4) % 16 - 8)).plusNanos(1000L * (i % 1000));
  }
}
