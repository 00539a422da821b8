package io.lakeport.source;

import io.delta.tables.DeltaTable;
import io.lakeport.config.SourceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta table by path. Unless the job pins a version or timestamp, the latest version is looked
 * up once and then read by number, so the run reads exactly the version its manifest records.
 */
final class DeltaSource implements Source {
  private final SourceSpec spec;

  DeltaSource(SourceSpec spec) {
    this.spec = spec;
  }

  @Override
  public SourceRead read(SparkSession spark) {
    String path = spec.path().orElseThrow();
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw SourceErrors.cannotRead(spec, "not a Delta table (no _delta_log)",
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
    return new SourceRead(reader.load(path), identity);
  }

  private static long latestVersion(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
  }
}
