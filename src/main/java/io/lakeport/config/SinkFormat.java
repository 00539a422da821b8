package io.lakeport.config;

/**
 * Formats a job can write. JSON is JSON lines (one object per line); XML is one document per file,
 * a root element holding one element per row. EXCEL is one {@code .xlsx} workbook per file, one
 * sheet in it. DELTA writes a Delta table (Parquet data files and a transaction log).
 */
public enum SinkFormat {
  PARQUET,
  CSV,
  JSON,
  AVRO,
  XML,
  EXCEL,
  DELTA
}
