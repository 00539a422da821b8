package io.lakeport.source;

import io.lakeport.config.SourceSpec;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** Creates the {@link Source} for a job's source spec. */
public final class Sources {
  private Sources() {}

  /**
   * The rows of a Delta source changed after version {@code after} (all rows, as inserts, without
   * it); see {@link DeltaSource#readChanges}.
   */
  public static SourceRead changes(SourceSpec spec, SparkSession spark, Optional<Long> after) {
    return new DeltaSource(spec).readChanges(spark, after);
  }

  public static Source of(SourceSpec spec) {
    return switch (spec.format()) {
      case DELTA -> new DeltaSource(spec);
      case PARQUET, CSV, JSON, AVRO, XML -> new FileSource(spec);
      case JDBC -> new JdbcSource(spec);
      case TABLE -> new TableSource(spec);
    };
  }
}
