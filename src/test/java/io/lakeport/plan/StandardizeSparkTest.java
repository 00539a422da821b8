package io.lakeport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobSpec;
import io.lakeport.run.Sessions;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standardisation of text and epoch values into timestamps and dates: ISO-8601 with and without
 * offsets (local ones in the job's zone), patterns and epochs; values that do not parse become null
 * and are counted, not silently lost.
 */
class StandardizeSparkTest {
  @TempDir Path dir;

  @Test
  void parsesIsoPatternsAndEpochsAndCountsWhatItCannotParse() throws Exception {
    String hocon =
        """
        name = standardize
        time-zone = "Europe/Berlin"
        source { format = parquet, path = /unused }
        plan.standardize {
          iso { to = timestamp }
          pattern { to = timestamp, from = "dd/MM/yyyy HH:mm" }
          seconds { to = timestamp, from = epoch-seconds }
          millis { to = timestamp, from = epoch-millis }
          day { to = date, from = "dd.MM.yyyy" }
        }
        sink { format = parquet, path = /tmp/unused }
        """;
    JobSpec job = Fixtures.job(dir, hocon, Map.of());
    SparkSession session = Sessions.forJob(TestSpark.session(), job);
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("iso", DataTypes.StringType)
            .add("pattern", DataTypes.StringType)
            .add("seconds", DataTypes.StringType)
            .add("millis", DataTypes.LongType)
            .add("day", DataTypes.StringType);
    Dataset<Row> input =
        session.createDataFrame(
            List.of(
                RowFactory.create(
                    1,
                    "2026-07-01T12:00:00Z",
                    "01/07/2026 14:00",
                    "1782907200",
                    1782907200000L,
                    "01.07.2026"),
                RowFactory.create(
                    2,
                    "2026-07-01T14:00:00",
                    "31/12/2026 23:30",
                    "1782907200.5",
                    null,
                    "31.12.2026"),
                RowFactory.create(3, "not a time", "2026-07-01", "soon", 0L, "32.13.2026"),
                RowFactory.create(4, null, null, null, null, null)),
            schema);
    Observation observation = new Observation("standardize-test");

    Dataset<Row> out = PlanCompiler.compile(job, input, Optional.of(observation)).output();
    Map<Integer, Row> rows = new HashMap<>();
    out.collectAsList().forEach(r -> rows.put(r.getInt(0), r));

    assertThat(out.columns()).containsExactly("id", "iso", "pattern", "seconds", "millis", "day");
    assertThat(instant(rows.get(1), "iso")).isEqualTo(Instant.parse("2026-07-01T12:00:00Z"));
    assertThat(instant(rows.get(2), "iso"))
        .as("local time in Berlin (UTC+2 in July)")
        .isEqualTo(Instant.parse("2026-07-01T12:00:00Z"));
    assertThat(instant(rows.get(1), "pattern")).isEqualTo(Instant.parse("2026-07-01T12:00:00Z"));
    assertThat(instant(rows.get(2), "pattern"))
        .as("UTC+1 in December")
        .isEqualTo(Instant.parse("2026-12-31T22:30:00Z"));
    assertThat(instant(rows.get(1), "seconds")).isEqualTo(Instant.ofEpochSecond(1782907200L));
    assertThat(instant(rows.get(2), "seconds"))
        .isEqualTo(Instant.ofEpochSecond(1782907200L, 500_000_000));
    assertThat(instant(rows.get(1), "millis")).isEqualTo(Instant.ofEpochMilli(1782907200000L));
    assertThat(instant(rows.get(3), "millis")).isEqualTo(Instant.EPOCH);
    assertThat(rows.get(1).<Date>getAs("day").toLocalDate())
        .isEqualTo(LocalDate.parse("2026-07-01"));
    assertThat(rows.get(3).<Object>getAs("iso")).isNull();
    assertThat(rows.get(3).<Object>getAs("pattern")).isNull();
    assertThat(rows.get(3).<Object>getAs("seconds")).isNull();
    assertThat(rows.get(3).<Object>getAs("day")).isNull();
    assertThat(observation.getAsJava())
        .doesNotContainKey("rows_read")
        .containsEntry("invalid_iso", 1L)
        .containsEntry("invalid_pattern", 1L)
        .containsEntry("invalid_seconds", 1L)
        .containsEntry("invalid_millis", 0L)
        .containsEntry("invalid_day", 1L);
  }

  private static Instant instant(Row row, String column) {
    return row.<Timestamp>getAs(column).toInstant();
  }
}
