package io.lakeport.sink;

import io.lakeport.config.SinkSpec;

/** Creates the {@link Sink} for a job's sink spec. */
public final class Sinks {
  private Sinks() {}

  public static Sink of(SinkSpec spec) {
    return switch (spec.format()) {
      case PARQUET, CSV, JSON, AVRO, XML, EXCEL -> new FileSink(spec);
      case DELTA -> new DeltaSink(spec);
    };
  }
}
