package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An export's lease as the run history keeps it: the export root (a qualified URI), the run that
 * writes it, the process that runs it, since when, and its last heartbeat.
 */
public record ExportLeaseRecord(
    String exportRoot,
    String job,
    String runId,
    Worker worker,
    Instant acquiredAt,
    Instant heartbeatAt) {
  public ExportLeaseRecord {
    requireNonNull(exportRoot, "exportRoot is null");
    requireNonNull(job, "job is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(worker, "worker is null");
    requireNonNull(acquiredAt, "acquiredAt is null");
    requireNonNull(heartbeatAt, "heartbeatAt is null");
  }
}
