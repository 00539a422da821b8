package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A request, recorded in the history, to cancel a running run: who asked (a person and the command
 * or host they asked from) and when. The scheduler that runs the run honours it at its next pass.
 */
public record CancelRequest(String runId, String requestedBy, Instant requestedAt) {
  public CancelRequest {
    requireNonNull(runId, "runId is null");
    requireNonNull(requestedBy, "requestedBy is null");
    requireNonNull(requestedAt, "requestedAt is null");
  }
}
