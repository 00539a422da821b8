package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import io.delta.tables.DeltaTable;
import io.lakeport.config.RetentionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Retention for Delta sinks, through Delta itself: {@code VACUUM} removes data files the table no
 * longer references once they are older than {@code vacuum-retain} (Delta refuses less than its own
 * 7-day check unless the session turns the check off), and {@code log-retention} sets the table's
 * {@code delta.logRetentionDuration}, after which Delta drops old log entries at its checkpoints.
 * The table's versions, not Lakeport's manifests, are what a Delta reader sees.
 */
public final class DeltaRetention {
  static final String LOG_RETENTION = "delta.logRetentionDuration";

  private DeltaRetention() {}

  /** What VACUUM would delete and the log retention the table has and should have. */
  public record Plan(
      Optional<Duration> vacuumRetain,
      List<String> filesToVacuum,
      Optional<String> logRetention,
      Optional<String> wantedLogRetention) {
    public Plan {
      requireNonNull(vacuumRetain, "vacuumRetain is null");
      filesToVacuum = List.copyOf(filesToVacuum);
      requireNonNull(logRetention, "logRetention is null");
      requireNonNull(wantedLogRetention, "wantedLogRetention is null");
    }

    public boolean changesLogRetention() {
      return wantedLogRetention.isPresent() && !wantedLogRetention.equals(logRetention);
    }
  }

  static Plan plan(SparkSession spark, String path, RetentionSpec.Delta delta) {
    List<String> files =
        delta
            .vacuumRetain()
            .map(
                retain ->
                    spark
                        .sql(
                            "VACUUM delta.`"
                                + path.replace("`", "``")
                                + "` RETAIN "
                                + hours(retain)
                                + " HOURS DRY RUN")
                        .collectAsList()
                        .stream()
                        .map(row -> row.getString(0))
                        .toList())
            .orElse(List.of());
    return new Plan(
        delta.vacuumRetain(),
        files,
        logRetention(spark, path),
        delta.logRetention().map(DeltaRetention::interval));
  }

  static void apply(SparkSession spark, String path, Plan plan) {
    plan.vacuumRetain().ifPresent(retain -> DeltaTable.forPath(spark, path).vacuum(hours(retain)));
    if (plan.changesLogRetention()) {
      spark.sql(
          "ALTER TABLE delta.`"
              + path.replace("`", "``")
              + "` SET TBLPROPERTIES ('"
              + LOG_RETENTION
              + "' = '"
              + plan.wantedLogRetention().orElseThrow()
              + "')");
    }
  }

  private static Optional<String> logRetention(SparkSession spark, String path) {
    Row detail = DeltaTable.forPath(spark, path).detail().select("properties").first();
    Map<String, String> properties = CollectionConverters.asJava(detail.<String, String>getMap(0));
    return Optional.ofNullable(properties.get(LOG_RETENTION));
  }

  /** Delta's interval syntax: whole hours, or days when they divide evenly. */
  static String interval(Duration duration) {
    return duration.toHours() % 24 == 0
        ? "interval " + duration.toDays() + " days"
        : "interval " + duration.toHours() + " hours";
  }

  private static double hours(Duration retain) {
    return retain.toMinutes() / 60.0;
  }
}
