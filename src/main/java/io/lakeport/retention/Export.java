package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A published export as its manifest records it: the run that wrote it, its logical date, when it
 * was published, and the bytes and files of it still present under the export root (a later run
 * that replaced the same partitions leaves an older export with fewer, or none). An export whose
 * manifest cannot be read has a {@code problem} and is never deleted.
 */
public record Export(
    String runId,
    Optional<LocalDate> logicalDate,
    Instant publishedAt,
    long bytes,
    int files,
    Optional<String> problem) {
  public Export {
    requireNonNull(runId, "runId is null");
    requireNonNull(logicalDate, "logicalDate is null");
    requireNonNull(publishedAt, "publishedAt is null");
    requireNonNull(problem, "problem is null");
  }

  public boolean readable() {
    return problem.isEmpty();
  }
}
