package io.lakeport.config;

/**
 * Formats a job can write. JSON is JSON lines (one object per line); XML is one document per file,
 * a root element holding one element per row. DELTA writes a Delta table (Parquet data files and a
 * transaction log).
 */
public enum SinkFormat {
  PARQUET,
  CSV,
  JSON,
  AVRO,
  XML,
  DELTA
}
