package io.lakeport.sink;

import java.io.Serializable;

/**
 * One data file of an export as measured where it was written: its path in the export, bytes, rows,
 * SHA-256 of the stored bytes, and the uncompressed size where the format tells (null otherwise).
 */
public record MeasuredFile(
    String path, long bytes, long rows, String sha256, Long uncompressedBytes)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
