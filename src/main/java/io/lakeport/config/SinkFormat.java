package io.lakeport.config;

/** Formats a job can write. JSON is JSON lines: one object per line. */
public enum SinkFormat {
  PARQUET,
  CSV,
  JSON
}
