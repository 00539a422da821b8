package io.lakeport.source;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The data of a source and its identity for the manifest: format, location and, for Delta, the
 * table version read (pinned, so the whole run sees one snapshot).
 */
public record SourceRead(Dataset<Row> data, Map<String, Object> identity) {
  /**
   * For CSV and JSON sources: the column holding the raw text of a record that could not be parsed
   * into the schema (null for good records), so runs can count and quarantine them.
   */
  public static final String MALFORMED = "_lakeport_malformed";

  public SourceRead {
    requireNonNull(data, "data is null");
    identity = Map.copyOf(identity);
  }
}
