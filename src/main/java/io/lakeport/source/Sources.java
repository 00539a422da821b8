package io.lakeport.source;

import io.lakeport.config.SourceSpec;

/** Creates the {@link Source} for a job's source spec. */
public final class Sources {
  private Sources() {}

  public static Source of(SourceSpec spec) {
    return switch (spec.format()) {
      case DELTA -> new DeltaSource(spec);
      case PARQUET, CSV, JSON, AVRO, XML -> new FileSource(spec);
      case JDBC -> new JdbcSource(spec);
      case TABLE -> new TableSource(spec);
    };
  }
}
