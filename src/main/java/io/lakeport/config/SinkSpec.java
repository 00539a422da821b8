package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how a job writes: format, path (Hive-style {@code key=value} folders for {@code
 * partitionBy}), write mode, compression and file sizing. Options are already translated to Spark's
 * writer option names. {@code targetFileSize} asks for files of about that many bytes (the runner
 * turns it into a row limit per file from an estimate of the bytes per row). Delta sinks may
 * replace the rows matching a condition ({@code replaceWhere}) and set table properties. {@code
 * fileName} is a template for data file names with {@code {job}}, {@code {run}}, {@code
 * {partition}} and {@code {part}}. {@code onEmpty} says what a run that produces no rows does.
 * {@code takeOver} lets the job write to (and an overwrite replace) a folder Lakeport did not
 * write. {@code keyOrigins} holds the lines of keys that later checks point at (e.g. {@code
 * partition-by}, checked against the plan's output).
 */
public record SinkSpec(
    SinkFormat format,
    String path,
    List<String> partitionBy,
    WriteMode mode,
    Optional<String> compression,
    Optional<Long> maxRecordsPerFile,
    Optional<Long> targetFileSize,
    Map<String, String> options,
    Optional<String> replaceWhere,
    Map<String, String> tableProperties,
    Optional<String> fileName,
    OnEmpty onEmpty,
    boolean takeOver,
    Origin origin,
    Map<String, Origin> keyOrigins) {

  public SinkSpec {
    requireNonNull(format, "format is null");
    requireNonNull(path, "path is null");
    partitionBy = List.copyOf(partitionBy);
    requireNonNull(mode, "mode is null");
    requireNonNull(compression, "compression is null");
    requireNonNull(maxRecordsPerFile, "maxRecordsPerFile is null");
    requireNonNull(targetFileSize, "targetFileSize is null");
    options = Map.copyOf(options);
    requireNonNull(replaceWhere, "replaceWhere is null");
    tableProperties = Map.copyOf(tableProperties);
    requireNonNull(fileName, "fileName is null");
    requireNonNull(onEmpty, "onEmpty is null");
    requireNonNull(origin, "origin is null");
    keyOrigins = Map.copyOf(keyOrigins);
  }

  /** Where {@code key} of the sink is written (the section's line when it is not). */
  public Origin origin(String key) {
    return keyOrigins.getOrDefault(key, origin.child(key));
  }
}
