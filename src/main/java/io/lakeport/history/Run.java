package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One run as the history holds it: what it was for, where it is, and when it ended what it wrote
 * (rows, bytes, files, the manifest) or why it failed, and the log file of its own that the process
 * running it writes ({@code <lakeport.logs>/<job>/<run id>.log}), once it has started, and how its
 * output schema differed from the export it followed (JSON of {@code manifest.SchemaDrift}), once
 * that was checked.
 */
public record Run(
    String id,
    String job,
    Optional<Instant> slot,
    Trigger trigger,
    Map<String, String> params,
    RunStatus status,
    Instant queuedAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<Long> rows,
    Optional<Long> bytes,
    Optional<Long> files,
    Optional<String> manifest,
    Optional<String> error,
    Optional<String> logFile,
    Optional<String> schemaDrift,
    Optional<String> inputs) {

  public Run {
    requireNonNull(id, "id is null");
    requireNonNull(job, "job is null");
    requireNonNull(slot, "slot is null");
    requireNonNull(trigger, "trigger is null");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    requireNonNull(status, "status is null");
    requireNonNull(queuedAt, "queuedAt is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    requireNonNull(rows, "rows is null");
    requireNonNull(bytes, "bytes is null");
    requireNonNull(files, "files is null");
    requireNonNull(manifest, "manifest is null");
    requireNonNull(error, "error is null");
    requireNonNull(logFile, "logFile is null");
    requireNonNull(schemaDrift, "schemaDrift is null");
    requireNonNull(inputs, "inputs is null");
  }

  /** From start to end, once the run has both. */
  public Optional<Duration> duration() {
    return startedAt.flatMap(start -> finishedAt.map(end -> Duration.between(start, end)));
  }
}
