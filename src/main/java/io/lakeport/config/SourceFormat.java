package io.lakeport.config;

/**
 * Formats a job can read. {@code TABLE} reads a catalog table by name (Delta or otherwise), {@code
 * JDBC} a database table or query.
 */
public enum SourceFormat {
  DELTA,
  PARQUET,
  CSV,
  JSON,
  AVRO,
  XML,
  JDBC,
  TABLE
}
