package io.lakeport.source;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The data of a source and its identity for the manifest: format, location and, for Delta, the
 * table version read (pinned, so the whole run sees one snapshot); its stability says whether a
 * second read of {@code data} returns the same rows, which decides whether a run may read it again
 * (for quarantined rows) or must keep what it read.
 */
public record SourceRead(Dataset<Row> data, Map<String, Object> identity, Stability stability) {
  /** Whether reading a source's data again returns the rows of the first read. */
  public enum Stability {
    /**
     * The same rows: files (listed once, when the read is planned) and Delta tables read at a
     * version or timestamp.
     */
    PINNED,
    /** Perhaps other rows: a database over JDBC, a catalog table read at its latest state. */
    LIVE
  }

  /**
   * For CSV and JSON sources: the column holding the raw text of a record that could not be parsed
   * into the schema (null for good records), so runs can count and quarantine them.
   */
  public static final String MALFORMED = "_lakeport_malformed";

  public SourceRead {
    requireNonNull(data, "data is null");
    requireNonNull(stability, "stability is null");
    identity = Map.copyOf(identity);
  }
}
