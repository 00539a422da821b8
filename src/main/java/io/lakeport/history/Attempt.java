package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One start of a run (the first, then each retry): when, where (host and process id), and once it
 * ended, its exit code and error summary. An interrupted attempt ends without an exit code.
 */
public record Attempt(
    String runId,
    int number,
    Instant startedAt,
    Optional<Instant> finishedAt,
    Optional<Integer> exitCode,
    Optional<String> error,
    Worker worker) {

  public Attempt {
    requireNonNull(runId, "runId is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    requireNonNull(exitCode, "exitCode is null");
    requireNonNull(error, "error is null");
    requireNonNull(worker, "worker is null");
  }
}
