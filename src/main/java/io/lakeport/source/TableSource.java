package io.lakeport.source;

import io.lakeport.config.SourceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/** A table of the session's catalog, by name; Delta catalog tables may be pinned to a version. */
final class TableSource implements Source {
  private final SourceSpec spec;

  TableSource(SourceSpec spec) {
    this.spec = spec;
  }

  @Override
  public SourceRead read(SparkSession spark) {
    String table = spec.table().orElseThrow();
    if (!spark.catalog().tableExists(table)) {
      throw SourceErrors.cannotRead(
          spec, "no such table in the catalog", "Check source.table (database.table).");
    }
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("format", "table");
    identity.put("table", table);
    if (spec.version().isEmpty() && spec.timestamp().isEmpty()) {
      return new SourceRead(spark.table(table), identity, SourceRead.Stability.LIVE);
    }
    DataFrameReader reader = spark.read().options(spec.options());
    spec.version()
        .ifPresent(
            v -> {
              reader.option("versionAsOf", v);
              identity.put("version", v);
            });
    spec.timestamp()
        .ifPresent(
            t -> {
              reader.option("timestampAsOf", t);
              identity.put("timestamp", t);
            });
    return new SourceRead(reader.table(table), identity, SourceRead.Stability.PINNED);
  }
}
