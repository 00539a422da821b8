package io.lakeport.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.lakeport.Fixtures;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import io.lakeport.run.Sessions;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aggregations and time buckets compiled from job files, against the same numbers computed in Java
 * from the same events (nulls ignored as SQL does, buckets from java.time in the job zone).
 */
class AggregationSparkTest {
  @TempDir Path dir;

  @Test
  void everyMetricMatchesAnIndependentComputation() {
    List<Row> rows =
        run(
            "UTC",
            """
        group-by = [severity]
        metrics {
          events = "count"
          scored = "count(score)"
          ips = "count_distinct(ip)"
          approx_ips = "approx_count_distinct(ip)"
          total = "sum(score)"
          mean = "avg(score)"
          low = "min(score)"
          high = "max(score)"
          p90 = "percentile(score, 0.9)"
          approx_p50 = "approx_percentile(score, 0.5)"
        }
        """);
    Map<String, List<Events>> groups =
        Events.all().stream()
            .collect(
                Collectors.groupingBy(
                    e -> String.valueOf(e.severity()), TreeMap::new, Collectors.toList()));

    assertThat(rows).hasSize(groups.size());
    for (Row row : rows) {
      List<Events> group = groups.get(String.valueOf((Object) row.getAs("severity")));
      List<Double> scores =
          group.stream().map(Events::score).filter(Objects::nonNull).sorted().toList();
      String label = "severity " + row.getAs("severity");
      assertThat((long) row.getAs("events")).as(label).isEqualTo(group.size());
      assertThat((long) row.getAs("scored")).as(label).isEqualTo(scores.size());
      long distinctIps = group.stream().map(Events::ip).filter(Objects::nonNull).distinct().count();
      assertThat((long) row.getAs("ips")).as(label).isEqualTo(distinctIps);
      assertThat((long) row.getAs("approx_ips"))
          .as(label)
          .isCloseTo(distinctIps, within(Math.max(2, distinctIps / 10)));
      assertThat((double) row.getAs("total"))
          .as(label)
          .isCloseTo(scores.stream().mapToDouble(d -> d).sum(), within(1e-9));
      assertThat((double) row.getAs("mean"))
          .as(label)
          .isCloseTo(scores.stream().mapToDouble(d -> d).average().orElseThrow(), within(1e-9));
      assertThat((double) row.getAs("low")).as(label).isEqualTo(scores.get(0));
      assertThat((double) row.getAs("high")).as(label).isEqualTo(scores.get(scores.size() - 1));
      assertThat((double) row.getAs("p90"))
          .as(label)
          .isCloseTo(interpolated(scores, 0.9), within(1e-9));
      double median = row.getAs("approx_p50");
      assertThat(scores).as(label).contains(median);
      assertThat(scores.indexOf(median))
          .as(label + ": first rank of the median")
          .isLessThanOrEqualTo(scores.size() / 2);
      assertThat(scores.lastIndexOf(median))
          .as(label + ": last rank of the median")
          .isGreaterThanOrEqualTo(scores.size() / 2 - 1);
    }
  }

  @Test
  void anySparkAggregateExpressionIsAMetric() {
    List<Row> rows =
        run(
            "UTC",
            """
        group-by = [severity]
        metrics {
          weighted = "sum(score * id)"
          flagged = "count_if(flag = true)"
          top_ip = "max_by(ip, score)"
          spread = "max(score) - min(score)"
          p90 = "approx_percentile(score, 0.9)"
          low_ids = "count_if(id < :limit)"
        }
        """,
            Map.of("limit", "100"));
    Map<String, List<Events>> groups =
        Events.all().stream()
            .collect(
                Collectors.groupingBy(
                    e -> String.valueOf(e.severity()), TreeMap::new, Collectors.toList()));

    assertThat(rows).hasSize(groups.size());
    for (Row row : rows) {
      List<Events> group = groups.get(String.valueOf((Object) row.getAs("severity")));
      String label = "severity " + row.getAs("severity");
      List<Events> scored = group.stream().filter(e -> e.score() != null).toList();
      assertThat((double) row.getAs("weighted"))
          .as(label)
          .isCloseTo(scored.stream().mapToDouble(e -> e.score() * e.id()).sum(), within(1e-6));
      assertThat((long) row.getAs("flagged"))
          .as(label)
          .isEqualTo(group.stream().filter(e -> Boolean.TRUE.equals(e.flag())).count());
      Events best = scored.stream().max(Comparator.comparingDouble(Events::score)).orElseThrow();
      double bestScore = best.score();
      // max_by takes the value of one of the rows with the highest score
      assertThat((String) row.getAs("top_ip"))
          .as(label)
          .isIn(
              scored.stream()
                  .filter(e -> e.score() == bestScore)
                  .map(Events::ip)
                  .toArray(Object[]::new));
      DoubleSummaryStatistics stats =
          scored.stream().mapToDouble(Events::score).summaryStatistics();
      assertThat((double) row.getAs("spread"))
          .as(label)
          .isCloseTo(stats.getMax() - stats.getMin(), within(1e-9));
      List<Double> sorted = scored.stream().map(Events::score).sorted().toList();
      assertThat(sorted).as(label).contains((double) row.getAs("p90"));
      assertThat((long) row.getAs("low_ids"))
          .as(label + ": a :name marker bound to the param")
          .isEqualTo(group.stream().filter(e -> e.id() < 100).count());
    }
  }

  @Test
  void anExpressionMetricThatAggregatesNothingOrNamesNoColumnIsRefusedAtItsLine() {
    JobSpec job =
        Fixtures.job(
            dir,
            """
        name = agg
        source { format = parquet, path = /unused }
        plan.aggregate {
          group-by = [severity]
          metrics {
            loud = "upper(severity)"
            weighted = "sum(scor * id)"
            fine = "sum(score)"
          }
        }
        sink { format = parquet, path = /tmp/unused }
        """,
            Map.of());
    String file = Fixtures.displayed(dir.resolve("job.conf"));

    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () -> PlanCompiler.compile(job, Events.frame(), Optional.empty()));

    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            file
                + ":6: plan.aggregate.metrics.loud: the metric \"upper(severity)\" aggregates"
                + " nothing. Use an aggregate function over the rows of a group, e.g. sum(price *"
                + " qty), count_if(status = 'paid'), max_by(city, population),"
                + " approx_percentile(amount, 0.9).",
            file
                + ":7: plan.aggregate.metrics.weighted: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A"
                + " column, variable, or function parameter with name \"scor\" cannot be"
                + " resolved. Did you mean one of the following? [\"score\", \"id\","
                + " \"ip\", \"ts\", \"day\"].");
  }

  @Test
  void hourBucketsKeepBothHoursOfTheAutumnChange() {
    ZoneId zone = ZoneId.of("America/New_York");
    Map<Instant, Long> expected =
        expectedBuckets(t -> t.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant());

    Map<Instant, Long> actual = buckets(run(zone.getId(), bucket("1 hour")));

    assertThat(actual).isEqualTo(expected);
    assertThat(actual)
        .containsKeys(Instant.parse("2026-11-01T05:00:00Z"), Instant.parse("2026-11-01T06:00:00Z"));
  }

  @Test
  void quarterHourBucketsAlignToLocalTimeInHalfHourZones() {
    ZoneId zone = ZoneId.of("Asia/Kolkata");
    Map<Instant, Long> expected =
        expectedBuckets(
            t -> {
              ZonedDateTime local = t.atZone(zone);
              return local
                  .truncatedTo(ChronoUnit.HOURS)
                  .plusMinutes(local.getMinute() / 15 * 15)
                  .toInstant();
            });

    assertThat(buckets(run(zone.getId(), bucket("15 minutes")))).isEqualTo(expected);
  }

  @Test
  void dayWeekAndMonthBucketsStartAtLocalMidnight() {
    ZoneId zone = ZoneId.of("America/New_York");
    assertThat(buckets(run(zone.getId(), bucket("day"))))
        .isEqualTo(
            expectedBuckets(t -> t.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant()));
    assertThat(buckets(run(zone.getId(), bucket("week"))))
        .isEqualTo(
            expectedBuckets(
                t ->
                    t.atZone(zone)
                        .toLocalDate()
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .atStartOfDay(zone)
                        .toInstant()));
    assertThat(buckets(run(zone.getId(), bucket("month"))))
        .isEqualTo(
            expectedBuckets(
                t ->
                    t.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant()));
  }

  @Test
  void selectionShapesTheOutputExactly() {
    String hocon =
        """
        name = shape
        source { format = parquet, path = /unused }
        plan {
          derive { doubled = "score * 2", label = "upper(severity)" }
          nulls { drop = [score], fill { ip = "unknown" } }
          select {
            exclude = [ts, flag]
            rename { severity = level, doubled = score2 }
            order = [label, id]
          }
        }
        sink { format = parquet, path = /tmp/unused }
        """;
    Dataset<Row> out = compile(hocon);

    assertThat(out.columns())
        .containsExactly("label", "id", "level", "score", "ip", "day", "score2");
    List<Row> rows = out.collectAsList();
    assertThat(rows).hasSize((int) Events.all().stream().filter(e -> e.score() != null).count());
    assertThat(rows).allSatisfy(r -> assertThat(r.<String>getAs("ip")).isNotNull());
    long filled = Events.all().stream().filter(e -> e.score() != null && e.ip() == null).count();
    assertThat(rows.stream().filter(r -> r.getAs("ip").equals("unknown")).count())
        .isEqualTo(filled);
    assertThat(rows)
        .allSatisfy(
            r -> assertThat((double) r.getAs("score2")).isEqualTo(2 * (double) r.getAs("score")));
  }

  @Test
  void columnsListKeepsOnlyThoseColumnsInThatOrder() {
    Dataset<Row> out =
        compile(
            """
        name = keep
        source { format = parquet, path = /unused }
        plan.select.columns = [score, id]
        sink { format = parquet, path = /tmp/unused }
        """);
    assertThat(out.columns()).containsExactly("score", "id");
  }

  private static String bucket(String every) {
    return "time-bucket { column = ts, every = "
        + every
        + ", as = bucket }\nmetrics { n = \"count\" }\n";
  }

  private static Map<Instant, Long> expectedBuckets(Function<Instant, Instant> bucket) {
    Map<Instant, Long> expected = new HashMap<>();
    Events.all().stream()
        .filter(e -> e.ts() != null)
        .forEach(e -> expected.merge(bucket.apply(e.ts()), 1L, Long::sum));
    expected.put(null, Events.all().stream().filter(e -> e.ts() == null).count());
    return expected;
  }

  private static Map<Instant, Long> buckets(List<Row> rows) {
    Map<Instant, Long> actual = new HashMap<>();
    for (Row r : rows) {
      Timestamp t = r.getAs("bucket");
      actual.put(t == null ? null : t.toInstant(), r.getAs("n"));
    }
    return actual;
  }

  private List<Row> run(String zone, String aggregate) {
    return run(zone, aggregate, Map.of());
  }

  private List<Row> run(String zone, String aggregate, Map<String, String> params) {
    String declared =
        params.keySet().stream()
            .map(name -> name + " = null")
            .collect(Collectors.joining(", ", "params { ", " }\n"));
    return compile(
            "name = agg\ntime-zone = \""
                + zone
                + "\"\n"
                + (params.isEmpty() ? "" : declared)
                + "source { format = parquet, path = /unused }\n"
                + "plan.aggregate {\n"
                + aggregate
                + "}\nsink { format = parquet, path = /tmp/unused }\n",
            params)
        .collectAsList();
  }

  private Dataset<Row> compile(String hocon) {
    return compile(hocon, Map.of());
  }

  private Dataset<Row> compile(String hocon, Map<String, String> params) {
    JobSpec job = Fixtures.job(dir, hocon, params);
    Dataset<Row> frame = Events.frame();
    Dataset<Row> events =
        Sessions.forJob(frame.sparkSession(), job).createDataFrame(frame.rdd(), frame.schema());
    return PlanCompiler.compile(job, events, Optional.empty()).output();
  }

  /** Spark's exact percentile: linear interpolation between the two nearest ranks. */
  private static double interpolated(List<Double> sorted, double p) {
    double position = p * (sorted.size() - 1);
    int lower = (int) Math.floor(position);
    int upper = (int) Math.ceil(position);
    return sorted.get(lower) + (position - lower) * (sorted.get(upper) - sorted.get(lower));
  }
}
