package io.lakeport.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The record of one run, written as JSON next to the export ({@code _lakeport/manifest-<run>.json})
 * after the data: what was read, with which params (secret-looking ones masked), for which logical
 * window, what was written (schema, totals, per partition, per file with rows and SHA-256) and
 * when, and how the schema differs from the previous export's ({@link SchemaDrift}; null on a first
 * run). Consumers, {@code verify}, retention and the scheduler read it back.
 */
public record Manifest(
    int manifestVersion,
    String job,
    String runId,
    String jobFile,
    Map<String, Object> params,
    LogicalWindow window,
    String lakeportVersion,
    String sparkVersion,
    Map<String, Object> source,
    Increment increment,
    SinkInfo sink,
    FileSizing fileSizing,
    List<ColumnInfo> schema,
    Totals totals,
    Quality quality,
    List<PartitionInfo> partitions,
    List<OutputFile> files,
    String startedAt,
    String finishedAt,
    long durationMs,
    Timings timings,
    SchemaDrift schemaDrift) {

  public static final int VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public Manifest {
    requireNonNull(job, "job is null");
    requireNonNull(runId, "runId is null");
    params = Map.copyOf(params);
    source = Map.copyOf(source);
    schema = List.copyOf(schema);
    partitions = List.copyOf(partitions);
    files = List.copyOf(files);
  }

  /** Where the sink wrote, and how; for Delta sinks, the table version the run committed. */
  public record SinkInfo(
      String format,
      String path,
      String mode,
      List<String> partitionBy,
      String compression,
      Long deltaVersion) {}

  /**
   * For a sink with a target file size: the target, the estimated bytes per row it was divided by,
   * where that estimate came from ({@code previous-run} or {@code schema}) and the resulting rows
   * per file. Null for sinks without a target.
   */
  public record FileSizing(long targetBytes, long bytesPerRow, String basis, long recordsPerFile) {}

  /**
   * The logical date a run exports and its window {@code [start, end)} in the job's time zone; null
   * for jobs without {@code run_date}.
   */
  public record LogicalWindow(String runDate, String start, String end) {}

  /**
   * Where the time went: preparing (recovery, reading the source, planning), the Spark write,
   * measuring the files, and publishing them.
   */
  public record Timings(long prepareMs, long writeMs, long inspectMs, long publishMs) {}

  /**
   * For incremental jobs: the mode, the watermark column, where this run started (the value the
   * previous published run reached, exclusive; null on a first run), what it reached (the highest
   * value read, or the Delta version read) and the lookback. The next run starts from {@code upTo}.
   */
  public record Increment(String mode, String column, String after, String upTo, String lookback) {}

  /** An output column. */
  public record ColumnInfo(String name, String type, boolean nullable) {}

  /**
   * Rows, files and bytes written; rows read from the source; values standardisation could not
   * parse (they became null), by column; the uncompressed size and the compression ratio (bytes
   * written / uncompressed) when every file's format reports it, else null.
   */
  public record Totals(
      long rows,
      long files,
      long bytes,
      long rowsRead,
      Map<String, Long> invalidValues,
      Long uncompressedBytes,
      Double compressionRatio) {}

  /**
   * The outcome of the job's quality rules, and the rows set aside: how many, and where ({@code
   * _rejects/<run id>} under the export, JSON lines with the rules each row failed).
   */
  public record Quality(List<RuleResult> rules, long rejectedRows, String rejectsPath) {
    public Quality {
      rules = List.copyOf(rules);
    }
  }

  /**
   * One rule: what it checked (rows for row rules, rows for unique keys, 1 for row counts), how
   * many failed, the ratio, the threshold, and the outcome: passed, quarantined (failing rows set
   * aside), tolerated (under the threshold, kept), warned, or failed (the run was not published).
   */
  public record RuleResult(
      String rule,
      String kind,
      String action,
      long checked,
      long failed,
      double failedRatio,
      double maxFailedRatio,
      String outcome,
      String detail) {}

  /** Rows, files and bytes of one output partition, e.g. {@code detected_date=2026-11-23}. */
  public record PartitionInfo(Map<String, String> values, long rows, long files, long bytes) {}

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialise manifest of run " + runId, e);
    }
  }

  public static Manifest fromJson(InputStream in) throws IOException {
    return JSON.readValue(in, Manifest.class);
  }
}
