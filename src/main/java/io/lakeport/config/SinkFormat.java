package io.lakeport.config;

/**
 * Formats a job can write. JSON is JSON lines (one object per line); XML is one document per file,
 * a root element holding one element per row.
 */
public enum SinkFormat {
  PARQUET,
  CSV,
  JSON,
  AVRO,
  XML
}
