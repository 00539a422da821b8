package io.lakeport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.JobSpec;
import io.lakeport.run.Sessions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every filter operator, compiled from a job file and run by Spark, against the same condition
 * evaluated in plain Java with SQL's rule that a comparison with null keeps no row.
 */
class FilterSparkTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyOperatorMatchesAnIndependentComputation() {
    return Stream.of(
        test("eq string", "{ column = severity, eq = high }", e -> "high".equals(e.severity())),
        test(
            "ne string",
            "{ column = severity, ne = high }",
            e -> e.severity() != null && !e.severity().equals("high")),
        test(
            "lt number", "{ column = score, lt = 0.3 }", e -> e.score() != null && e.score() < 0.3),
        test(
            "lte number",
            "{ column = score, lte = 0.37 }",
            e -> e.score() != null && e.score() <= 0.37),
        test(
            "gt number", "{ column = score, gt = 0.9 }", e -> e.score() != null && e.score() > 0.9),
        test(
            "gte number",
            "{ column = score, gte = 0.9 }",
            e -> e.score() != null && e.score() >= 0.9),
        test("eq number on int", "{ column = id, eq = 42 }", e -> e.id() == 42),
        test("gt fraction on int", "{ column = id, gt = 297.5 }", e -> e.id() > 297.5),
        test(
            "in",
            "{ column = severity, in = [high, critical] }",
            e -> "high".equals(e.severity()) || "critical".equals(e.severity())),
        test(
            "not-in",
            "{ column = severity, not-in = [low, medium] }",
            e ->
                e.severity() != null
                    && !e.severity().equals("low")
                    && !e.severity().equals("medium")),
        test(
            "between numbers",
            "{ column = score, between = [0.2, 0.4] }",
            e -> e.score() != null && e.score() >= 0.2 && e.score() <= 0.4),
        test(
            "between dates on a date column",
            "{ column = day, between = [2026-10-31, 2026-11-02] }",
            e ->
                !e.day().isBefore(LocalDate.parse("2026-10-31"))
                    && !e.day().isAfter(LocalDate.parse("2026-11-02"))),
        test(
            "between days on timestamps across DST",
            "{ column = ts, between = [2026-11-01, 2026-11-01], unit = day }",
            e ->
                e.ts() != null
                    && e.ts().atZone(NEW_YORK).toLocalDate().equals(LocalDate.parse("2026-11-01"))),
        test(
            "eq hour on timestamps, the repeated 01:00",
            "{ column = ts, eq = \"2026-11-01T01:30:00-05:00\", unit = hour }",
            e ->
                e.ts() != null
                    && !e.ts().isBefore(Instant.parse("2026-11-01T06:00:00Z"))
                    && e.ts().isBefore(Instant.parse("2026-11-01T07:00:00Z"))),
        test(
            "gte instant",
            "{ column = ts, gte = \"2026-11-01T06:00:00Z\" }",
            e -> e.ts() != null && !e.ts().isBefore(Instant.parse("2026-11-01T06:00:00Z"))),
        test(
            "lt local date-time in the job zone",
            "{ column = ts, lt = \"2026-11-01T00:00:00\" }",
            e -> e.ts() != null && e.ts().isBefore(Instant.parse("2026-11-01T04:00:00Z"))),
        test(
            "lte day on timestamps",
            "{ column = ts, lte = 2026-10-31, unit = day }",
            e -> e.ts() != null && e.ts().isBefore(Instant.parse("2026-11-01T04:00:00Z"))),
        test(
            "like",
            "{ column = ip, like = \"10.%\" }",
            e -> e.ip() != null && e.ip().startsWith("10.")),
        test(
            "regex",
            "{ column = ip, regex = \"^172\\\\.16\\\\.[12]\\\\.\" }",
            e -> e.ip() != null && e.ip().matches("^172\\.16\\.[12]\\..*")),
        test("is-null", "{ column = score, is-null = true }", e -> e.score() == null),
        test("not-null", "{ column = ts, not-null = true }", e -> e.ts() != null),
        test("eq boolean", "{ column = flag, eq = true }", e -> Boolean.TRUE.equals(e.flag())),
        test(
            "and",
            "{ and = [ { column = severity, eq = high }, { column = score, gte = 0.5 } ] }",
            e -> "high".equals(e.severity()) && e.score() != null && e.score() >= 0.5),
        test(
            "or",
            "{ or = [ { column = severity, eq = critical }, { column = score, gte = 0.95 } ] }",
            e -> "critical".equals(e.severity()) || e.score() != null && e.score() >= 0.95),
        test(
            "not keeps no row whose condition is unknown",
            "{ not = { column = ip, like = \"10.%\" } }",
            e -> e.ip() != null && !e.ip().startsWith("10.")),
        test(
            "nested",
            "{ and = [ { not = { column = severity, in = [low] } }, "
                + "{ or = [ { column = flag, eq = false }, { column = ts, is-null = true } ] } ] }",
            e ->
                e.severity() != null
                    && !e.severity().equals("low")
                    && (Boolean.FALSE.equals(e.flag()) || e.ts() == null)),
        test(
            "raw SQL",
            "\"score * 100 > 50 AND id % 2 = 0\"",
            e -> e.score() != null && e.score() * 100 > 50 && e.id() % 2 == 0),
        test(
            "sql inside a tree",
            "{ and = [ { sql = \"length(ip) > 10\" }, { column = severity, eq = low } ] }",
            e -> e.ip() != null && e.ip().length() > 10 && "low".equals(e.severity())));
  }

  private DynamicTest test(String name, String where, Predicate<Events> expected) {
    return DynamicTest.dynamicTest(
        name,
        () -> {
          Set<Integer> wanted =
              Events.all().stream()
                  .filter(expected)
                  .map(Events::id)
                  .collect(Collectors.toCollection(TreeSet::new));
          assertThat(wanted)
              .as("the case must select some rows but not all")
              .isNotEmpty()
              .hasSizeLessThan(Events.COUNT);
          assertThat(ids(where)).isEqualTo(wanted);
        });
  }

  private Set<Integer> ids(String where) {
    String hocon =
        "name = filters\ntime-zone = \"America/New_York\"\nsource { format = parquet, path = /unused }\n"
            + "plan.where = "
            + where
            + "\nsink { format = parquet, path = /tmp/unused }\n";
    JobSpec job = Fixtures.job(dir, hocon, Map.of());
    Dataset<Row> events =
        Sessions.forJob(Events.frame().sparkSession(), job)
            .createDataFrame(Events.frame().rdd(), Events.frame().schema());
    Dataset<Row> out = PlanCompiler.compile(job, events, Optional.empty()).output();
    return out.select("id").collectAsList().stream()
        .map(r -> r.getInt(0))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
