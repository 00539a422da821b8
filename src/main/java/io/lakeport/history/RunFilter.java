package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** Which runs to list: of one job, in one status, at most {@code limit} of them (newest first). */
public record RunFilter(Optional<String> job, Optional<RunStatus> status, int limit) {
  public RunFilter {
    requireNonNull(job, "job is null");
    requireNonNull(status, "status is null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
  }
}
