package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.manifest.Manifest;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A daily (and weekly) job exports exactly its window {@code [window_start, window_end)} in its
 * time zone: on the DST days of Europe/Berlin the day has 25 and 23 hours, and the export holds
 * exactly the events of those local hours, as java.time computes them independently.
 */
class WindowSparkTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} window of {1}: {2} hours")
  @CsvSource({
    "day, 2026-10-25, 25",
    "day, 2026-03-29, 23",
    "day, 2026-06-01, 24",
    "week, 2026-10-25, 169"
  })
  void exportsExactlyTheLocalWindowAcrossDaylightSavingChanges(
      String window, String runDate, int hours) {
    // One event every 30 minutes, in UTC, from a week before to a week after.
    Instant from = LocalDate.parse(runDate).minusDays(8).atStartOfDay(BERLIN).toInstant();
    List<Row> events = new ArrayList<>();
    for (Instant t = from;
        t.isBefore(from.plus(17, ChronoUnit.DAYS));
        t = t.plus(30, ChronoUnit.MINUTES)) {
      events.add(RowFactory.create(Timestamp.from(t)));
    }
    Path source = dir.resolve("source");
    spark
        .createDataFrame(events, new StructType().add("ts", DataTypes.TimestampType))
        .write()
        .parquet(source.toString());

    Manifest m =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                Fixtures.job(
                    dir,
                    """
        name = windowed
        time-zone = "Europe/Berlin"
        window = %s
        params { run_date = null }
        source { format = parquet, path = "%s" }
        plan.where = { and = [
          { column = ts, gte = ${params.window_start}, unit = day }
          { column = ts, lt = ${params.window_end}, unit = day }
        ] }
        sink { format = parquet, path = "%s", mode = overwrite }
        """
                        .formatted(window, source, dir.resolve("out")),
                    Map.of("run_date", runDate)))
            .manifest();

    LocalDate start = LocalDate.parse(m.window().start());
    LocalDate end = LocalDate.parse(m.window().end());
    Instant first = start.atStartOfDay(BERLIN).toInstant();
    Instant last = end.atStartOfDay(BERLIN).toInstant();
    TreeSet<Instant> expected =
        events.stream()
            .map(r -> ((Timestamp) r.get(0)).toInstant())
            .filter(t -> !t.isBefore(first) && t.isBefore(last))
            .collect(Collectors.toCollection(TreeSet::new));
    TreeSet<Instant> exported =
        spark.read().parquet(dir.resolve("out").toString()).collectAsList().stream()
            .map(r -> r.getTimestamp(0).toInstant())
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(Duration.between(first, last).toHours()).isEqualTo(hours);
    assertThat(expected).hasSize(hours * 2);
    assertThat(exported).isEqualTo(expected);
    assertThat(m.totals().rows()).isEqualTo(hours * 2L);
  }
}
