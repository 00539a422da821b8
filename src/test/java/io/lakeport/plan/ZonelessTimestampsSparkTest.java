package io.lakeport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobSpec;
import io.lakeport.run.Sessions;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zone-less ({@code TIMESTAMP_NTZ}) columns through the plan: wall-clock readings every 10 minutes
 * over the Berlin daylight-saving days of 2026, compiled in several job zones, against the same
 * buckets and ranges computed in Java on {@link LocalDateTime} (where no zone exists).
 */
class ZonelessTimestampsSparkTest {
  private static final List<String> ZONES =
      List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"15 minutes", "30 minutes", "1 hour", "2 hours", "day", "week", "month"})
  void bucketsAreWallClockWhateverTheJobZone(String every) {
    Function<LocalDateTime, LocalDateTime> bucket = javaBucket(every);
    Map<LocalDateTime, Long> expected =
        readings().stream()
            .collect(Collectors.groupingBy(bucket, TreeMap::new, Collectors.counting()));
    for (String zone : ZONES) {
      Dataset<Row> out =
          compile(
              zone,
              "aggregate { time-bucket { column = ts, every = "
                  + every
                  + ", as = bucket }, metrics { n = \"count\" } }");

      assertThat(out.schema().apply("bucket").dataType())
          .as(zone)
          .isEqualTo(DataTypes.TimestampNTZType);
      Map<LocalDateTime, Long> actual = new TreeMap<>();
      out.collectAsList()
          .forEach(r -> actual.put(r.<LocalDateTime>getAs("bucket"), r.<Long>getAs("n")));
      assertThat(actual).as(every + " buckets in " + zone).isEqualTo(expected);
    }
  }

  @Test
  void unitFiltersCompareWallClockRangesAlsoInGapsAndOverlaps() {
    // 02:00-03:00 on 29 March does not exist in Berlin and 02:00-03:00 on 25 October exists twice;
    // on a zone-less column each is just one wall-clock hour of six readings
    String where =
        """
        where { or = [
          { column = ts, eq = "2026-03-29T02:00", unit = hour }
          { column = ts, between = ["2026-10-25T02:10", "2026-10-25T02:59"], unit = hour }
          { column = ts, eq = 2026-10-26, unit = day }
          { and = [ { column = ts, gte = "2026-03-30T02:30" }, { column = ts, lt = "2026-03-30T03:10" } ] }
        ] }
        """;
    List<LocalDateTime> expected =
        filtered(
            t ->
                t.truncatedTo(ChronoUnit.HOURS).equals(LocalDateTime.parse("2026-03-29T02:00"))
                    || t.truncatedTo(ChronoUnit.HOURS)
                        .equals(LocalDateTime.parse("2026-10-25T02:00"))
                    || t.toLocalDate().equals(LocalDate.parse("2026-10-26"))
                    || !t.isBefore(LocalDateTime.parse("2026-03-30T02:30"))
                        && t.isBefore(LocalDateTime.parse("2026-03-30T03:10")));
    assertThat(expected).hasSize(6 + 6 + 144 + 4);

    for (String zone : ZONES) {
      assertThat(timestamps(compile(zone, where))).as(zone).isEqualTo(expected);
    }
  }

  @Test
  void anInstantBoundOnAZonelessColumnIsItsWallClockTimeInTheJobZone() {
    // 01:30Z is 03:30 in Berlin (summer time from 01:00Z on 29 March)
    List<LocalDateTime> berlin =
        timestamps(
            compile("Europe/Berlin", "where { column = ts, lt = \"2026-03-29T01:30:00Z\" }"));

    assertThat(berlin)
        .isEqualTo(filtered(t -> t.isBefore(LocalDateTime.parse("2026-03-29T03:30"))));
  }

  @Test
  void standardizeAndDeriveKeepZonelessValuesAsTheyAre() {
    Dataset<Row> out =
        compile(
            "Europe/Berlin",
            """
            standardize { ts { to = timestamp, from = iso }, copy { to = date, from = iso } }
            derive { day = "to_date(ts)", hour = "hour(ts)", minute = "minute(ts)" }
            """);

    assertThat(out.schema().apply("ts").dataType()).isEqualTo(DataTypes.TimestampNTZType);
    assertThat(out.schema().apply("copy").dataType()).isEqualTo(DataTypes.DateType);
    List<String> actual = new ArrayList<>();
    for (Row r : out.orderBy("ts").collectAsList()) {
      actual.add(
          r.getAs("ts")
              + " "
              + r.getAs("copy")
              + " "
              + r.getAs("day")
              + " "
              + r.getAs("hour")
              + ":"
              + r.getAs("minute"));
    }
    List<String> expected =
        readings().stream()
            .map(
                t ->
                    t
                        + " "
                        + t.toLocalDate()
                        + " "
                        + t.toLocalDate()
                        + " "
                        + t.getHour()
                        + ":"
                        + t.getMinute())
            .toList();
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void aPlanOnZonelessColumnsCompilesWithoutProblems() {
    JobSpec job =
        job(
            "America/New_York",
            """
                standardize { ts { to = timestamp, from = iso } }
                derive { day = "to_date(ts)" }
                where { column = ts, between = [2026-03-28, 2026-10-30], unit = week }
                aggregate {
                  group-by = [day]
                  time-bucket { column = ts, every = 1 hour, as = hour }
                  metrics { n = "count", first = "min(ts)" }
                }
                """);
    CompiledPlan plan = PlanCompiler.compile(job, source(job), Optional.empty());

    assertThat(plan.output().schema().apply("hour").dataType())
        .isEqualTo(DataTypes.TimestampNTZType);
    assertThat(plan.output().schema().apply("first").dataType())
        .isEqualTo(DataTypes.TimestampNTZType);
    assertThat(plan.output().count())
        .isEqualTo(
            readings().stream().map(t -> t.truncatedTo(ChronoUnit.HOURS)).distinct().count());
  }

  /** The wall-clock readings: every 10 minutes over 28-30 March and 24-26 October 2026. */
  private static List<LocalDateTime> readings() {
    List<LocalDateTime> times = new ArrayList<>();
    for (String first : List.of("2026-03-28", "2026-10-24")) {
      LocalDateTime start = LocalDate.parse(first).atStartOfDay();
      for (LocalDateTime t = start; t.isBefore(start.plusDays(3)); t = t.plusMinutes(10)) {
        times.add(t);
      }
    }
    return times;
  }

  private static List<LocalDateTime> filtered(Predicate<LocalDateTime> keep) {
    return readings().stream().filter(keep).toList();
  }

  private static Function<LocalDateTime, LocalDateTime> javaBucket(String every) {
    return switch (every) {
      case "15 minutes" ->
          t -> t.truncatedTo(ChronoUnit.HOURS).plusMinutes(t.getMinute() / 15 * 15);
      case "30 minutes" ->
          t -> t.truncatedTo(ChronoUnit.HOURS).plusMinutes(t.getMinute() / 30 * 30);
      case "1 hour" -> t -> t.truncatedTo(ChronoUnit.HOURS);
      case "2 hours" -> t -> t.truncatedTo(ChronoUnit.DAYS).plusHours(t.getHour() / 2 * 2);
      case "day" -> t -> t.truncatedTo(ChronoUnit.DAYS);
      case "week" ->
          t ->
              t.toLocalDate()
                  .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                  .atStartOfDay();
      case "month" -> t -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
      default -> throw new IllegalArgumentException(every);
    };
  }

  private static List<LocalDateTime> timestamps(Dataset<Row> out) {
    return out.orderBy("ts").collectAsList().stream()
        .map(r -> r.<LocalDateTime>getAs("ts"))
        .toList();
  }

  private Dataset<Row> compile(String zone, String plan) {
    JobSpec job = job(zone, plan);
    return PlanCompiler.compile(job, source(job), Optional.empty()).output();
  }

  private JobSpec job(String zone, String plan) {
    return Fixtures.job(
        dir,
        "name = zoneless\ntime-zone = \""
            + zone
            + "\"\nsource { format = parquet, path = /unused }\nplan {\n"
            + plan
            + "\n}\nsink { format = parquet, path = /tmp/unused }\n",
        Map.of());
  }

  /** The readings in a session of the job's zone: a zone-less {@code ts} and its text copy. */
  private static Dataset<Row> source(JobSpec job) {
    StructType schema =
        new StructType().add("ts", DataTypes.TimestampNTZType).add("copy", DataTypes.StringType);
    List<Row> rows =
        readings().stream().map(t -> RowFactory.create(t, t.toLocalDate().toString())).toList();
    return Sessions.forJob(TestSpark.session(), job).createDataFrame(rows, schema);
  }
}
