package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What a job reads: a Delta table, Parquet, CSV or JSON-lines files at a path, or a catalog table.
 * Delta sources may be pinned to a version or a timestamp; CSV and JSON may carry a DDL schema.
 * Options are already translated to Spark's reader option names.
 */
public record SourceSpec(
    SourceFormat format,
    Optional<String> path,
    Optional<String> table,
    Optional<Long> version,
    Optional<String> timestamp,
    Optional<String> schema,
    Map<String, String> options,
    Optional<JdbcSpec> jdbc,
    Origin origin) {

  public SourceSpec {
    requireNonNull(format, "format is null");
    requireNonNull(path, "path is null");
    requireNonNull(table, "table is null");
    requireNonNull(version, "version is null");
    requireNonNull(timestamp, "timestamp is null");
    requireNonNull(schema, "schema is null");
    options = Map.copyOf(options);
    requireNonNull(jdbc, "jdbc is null");
    requireNonNull(origin, "origin is null");
  }

  /**
   * What the source is, for logs and messages: the path, the table name or the JDBC URL (secrets
   * masked).
   */
  public String location() {
    return Secrets.mask(jdbc.map(JdbcSpec::url).or(() -> path).or(() -> table).orElse(""));
  }
}
