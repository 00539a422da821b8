package io.lakeport.manifest;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Map;

/**
 * One file an export wrote: its path relative to the sink path, partition values (from its {@code
 * key=value} folders), size, row count, SHA-256 and, where the format tells, its uncompressed size
 * (Parquet from its footer, text formats as decompressed, Excel as the sum of its zip entries; null
 * for Avro), as measured on an executor.
 */
public record OutputFile(
    String path,
    Map<String, String> partition,
    long bytes,
    long rows,
    String sha256,
    Long uncompressedBytes)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public OutputFile {
    requireNonNull(path, "path is null");
    partition = Map.copyOf(partition);
    requireNonNull(sha256, "sha256 is null");
  }
}
