package io.lakeport.retention;

import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.OutputFile;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes exports as Lakeport publishes them, without Spark: data files with random bytes under
 * partition folders, rejects, and a manifest naming each file with its size and SHA-256; also
 * leftovers of failed runs. Works on any Hadoop file system (local disk, s3a).
 */
final class ExportWriter {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final FileSystem fs;
  private final Path root;
  private final Random random;

  ExportWriter(FileSystem fs, Path root, long seed) {
    this.fs = fs;
    this.root = root;
    this.random = new Random(seed);
  }

  static String runId(Instant started, int suffix) {
    return RUN_ID.format(started) + "-" + String.format("%06x", suffix);
  }

  /**
   * Writes an export of {@code files} files of {@code bytesEach} bytes; returns the relative paths
   * written.
   */
  List<String> export(
      String runId,
      LocalDate logicalDate,
      Instant published,
      int files,
      int bytesEach,
      boolean rejects)
      throws IOException {
    List<OutputFile> outputs = new ArrayList<>();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      String path =
          "day=" + logicalDate + "/part-" + String.format("%05d", i) + "-" + runId + ".parquet";
      byte[] data = bytes(bytesEach);
      write(path, data);
      outputs.add(
          new OutputFile(
              path, Map.of("day", logicalDate.toString()), data.length, 1, sha256(data), null));
      written.add(path);
    }
    if (rejects) {
      String path = "_rejects/" + runId + "/part-00000.json";
      write(path, bytes(50));
      written.add(path);
    }
    writeManifest(runId, logicalDate, published, outputs);
    return written;
  }

  void writeManifest(
      String runId, LocalDate logicalDate, Instant published, List<OutputFile> outputs)
      throws IOException {
    Manifest manifest =
        new Manifest(
            Manifest.VERSION,
            "test",
            runId,
            "jobs/test.conf",
            Map.of(),
            logicalDate == null
                ? null
                : new Manifest.LogicalWindow(
                    logicalDate.toString(),
                    logicalDate.toString(),
                    logicalDate.plusDays(1).toString()),
            "test",
            "4.1.1",
            Map.of(),
            null,
            null,
            null,
            List.of(),
            null,
            null,
            List.of(),
            outputs,
            published.minusSeconds(5).toString(),
            published.toString(),
            5000,
            null,
            null,
            null);
    Manifests.write(fs, Manifests.path(root, runId), manifest);
  }

  /**
   * A leftover folder of a failed run with one file, last changed at {@code modified} (local disk
   * only).
   */
  String leftover(String folder, Instant modified) throws IOException {
    String path = folder + "/part-00000.parquet";
    write(path, bytes(64));
    fs.setTimes(new Path(root, path), modified.toEpochMilli(), -1);
    return path;
  }

  void write(String relative, byte[] data) throws IOException {
    try (OutputStream out = fs.create(new Path(root, relative), true)) {
      out.write(data);
    }
  }

  private byte[] bytes(int n) {
    byte[] data = new byte[n];
    random.nextBytes(data);
    return data;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
