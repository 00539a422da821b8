package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A job's lock: the one run of the job that may be active, who runs it (a scheduler's owner id),
 * since when, and its last heartbeat. A lock whose heartbeat is older than {@code
 * lakeport.history.lock-ttl} is stale and may be taken over.
 */
public record Lock(
    String job, String runId, String owner, Instant acquiredAt, Instant heartbeatAt) {
  public Lock {
    requireNonNull(job, "job is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(acquiredAt, "acquiredAt is null");
    requireNonNull(heartbeatAt, "heartbeatAt is null");
  }
}
