package io.lakeport.source;

import io.delta.tables.DeltaTable;
import io.lakeport.config.EngineMessages;
import io.lakeport.config.SourceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta table by path. Unless the job pins a version or timestamp, the latest version is looked
 * up once and then read by number, so the run reads exactly the version its manifest records.
 */
final class DeltaSource implements Source {
  static final String CHANGE_TYPE = "_change_type";
  static final String COMMIT_VERSION = "_commit_version";
  static final String COMMIT_TIMESTAMP = "_commit_timestamp";
  private final SourceSpec spec;

  DeltaSource(SourceSpec spec) {
    this.spec = spec;
  }

  @Override
  public SourceRead read(SparkSession spark) {
    String path = spec.path().orElseThrow();
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw SourceErrors.cannotRead(
          spec,
          "not a Delta table (no _delta_log)",
          "Check source.path, or set source.format to parquet, csv or json (bin/lakeport demo creates the demo tables).");
    }
    DataFrameReader reader = spark.read().format("delta").options(spec.options());
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("format", "delta");
    identity.put("path", path);
    if (spec.timestamp().isPresent()) {
      reader.option("timestampAsOf", spec.timestamp().get());
      identity.put("timestamp", spec.timestamp().get());
    } else {
      long version = spec.version().orElseGet(() -> latestVersion(spark, path));
      reader.option("versionAsOf", version);
      identity.put("version", version);
    }
    return new SourceRead(reader.load(path), identity, SourceRead.Stability.PINNED);
  }

  /**
   * The rows changed after version {@code after} up to the latest version (pinned), from Delta's
   * change data feed, with {@code _change_type} (insert, update_postimage, delete), {@code
   * _commit_version} and {@code _commit_timestamp}; update pre-images are left out. Without {@code
   * after} (a first run), the whole table at the latest version, every row an insert.
   */
  SourceRead readChanges(SparkSession spark, Optional<Long> after) {
    SourceRead snapshot = read(spark);
    long latest = (Long) snapshot.identity().get("version");
    Map<String, Object> identity = new LinkedHashMap<>(snapshot.identity());
    String path = spec.path().orElseThrow();
    if (after.isEmpty()) {
      Row commit = DeltaTable.forPath(spark, path).history(1).select("timestamp").head();
      return new SourceRead(
          snapshot
              .data()
              .withColumn(CHANGE_TYPE, org.apache.spark.sql.functions.lit("insert"))
              .withColumn(COMMIT_VERSION, org.apache.spark.sql.functions.lit(latest))
              .withColumn(
                  COMMIT_TIMESTAMP, org.apache.spark.sql.functions.lit(commit.getTimestamp(0))),
          identity,
          SourceRead.Stability.PINNED);
    }
    identity.put("changes_after", after.get());
    if (after.get() >= latest) {
      return new SourceRead(
          readChanges(spark, path, latest, latest).limit(0), identity, SourceRead.Stability.PINNED);
    }
    return new SourceRead(
        readChanges(spark, path, after.get() + 1, latest), identity, SourceRead.Stability.PINNED);
  }

  private Dataset<Row> readChanges(SparkSession spark, String path, long from, long to) {
    try {
      return spark
          .read()
          .format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", from)
          .option("endingVersion", to)
          .load(path)
          .where(org.apache.spark.sql.functions.col(CHANGE_TYPE).notEqual("update_preimage"));
    } catch (Exception e) {
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      throw SourceErrors.cannotRead(
          spec,
          EngineMessages.summary(e.getMessage()),
          "Enable the change data feed on the table: ALTER TABLE delta.`"
              + path
              + "` SET TBLPROPERTIES (delta.enableChangeDataFeed = true), then run again.");
    }
  }

  private static long latestVersion(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
  }
}
