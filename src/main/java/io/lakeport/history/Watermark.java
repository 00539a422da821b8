package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Where an incremental job got to: its mode ({@code watermark} or {@code change-feed}), the value
 * reached (a column value, or a Delta version), the run that reached it, and when.
 */
public record Watermark(
    String job, String mode, String reached, Optional<String> runId, Instant updatedAt) {
  public Watermark {
    requireNonNull(job, "job is null");
    requireNonNull(mode, "mode is null");
    requireNonNull(reached, "reached is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(updatedAt, "updatedAt is null");
  }
}
