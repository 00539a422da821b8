package io.lakeport.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The record of one run, written as JSON next to the export ({@code _lakeport/manifest-<run>.json})
 * after the data: what was read, with which params (secret-looking ones masked), for which logical
 * window, what was written (schema, totals, per partition, per file with rows and SHA-256) and
 * when, and how the schema differs from the previous export's ({@link SchemaDrift}; null on a first
 * run); of a job with several inputs, each input ({@code source} is then the first). Consumers,
 * {@code verify}, retention and the scheduler read it back.
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
    SchemaDrift schemaDrift,
    List<Input> inputs) {

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
    inputs = inputs == null ? null : List.copyOf(inputs);
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

  /**
   * One input of a job with several: its name, what was read (as {@code source}: format, path or
   * table, Delta version, columns), the rows its scans read (null where Spark's scans do not say
   * which input they read, such as two inputs of one path) and its increment (null for an input
   * read whole).
   */
  public record Input(String name, Map<String, Object> source, Long rowsRead, Increment increment) {
    public Input {
      requireNonNull(name, "name is null");
      source = Map.copyOf(source);
    }

    /**
     * The input as the run history keeps it: name, format, location (path, table or masked URL),
     * Delta version, rows read and the watermark or version its increment reached (nulls where
     * there is none).
     */
    public Map<String, Object> summary() {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("name", name);
      summary.put("format", source.get("format"));
      summary.put(
          "location",
          Stream.of("path", "table", "url")
              .map(source::get)
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(null));
      summary.put("version", source.get("version"));
      summary.put("rows_read", rowsRead);
      summary.put("up_to", increment == null ? null : increment.upTo());
      return summary;
    }
  }

  /** {@link Input#summary() Summaries} of inputs, as one line of JSON. */
  public static String summaries(List<Input> inputs) {
    try {
      return new ObjectMapper().writeValueAsString(inputs.stream().map(Input::summary).toList());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the inputs as JSON", e);
    }
  }

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
