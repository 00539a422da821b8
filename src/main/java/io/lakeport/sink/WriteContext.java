package io.lakeport.sink;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a write needs beyond its sink spec: the job and run it belongs to (file-name templates use
 * them) and, when the sink asks for a target file size, the rows per file the runner estimated
 * from it.
 */
public record WriteContext(String job, String runId, Optional<Long> recordsPerFile) {
  public WriteContext {
    requireNonNull(job, "job is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(recordsPerFile, "recordsPerFile is null");
  }
}
