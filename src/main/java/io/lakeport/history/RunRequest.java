package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run to put in the queue: its id, job, the slot it is for (scheduled runs; empty for runs nobody
 * scheduled), what triggered it and its params (secret-looking ones already masked).
 */
public record RunRequest(
    String runId, String job, Optional<Instant> slot, Trigger trigger, Map<String, String> params) {
  public RunRequest {
    requireNonNull(runId, "runId is null");
    requireNonNull(job, "job is null");
    requireNonNull(slot, "slot is null");
    requireNonNull(trigger, "trigger is null");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** A run for a scheduled slot: the job and time identify it, so it can be queued only once. */
  public static RunRequest scheduled(
      String runId, String job, Instant slot, Map<String, String> params) {
    return new RunRequest(runId, job, Optional.of(slot), Trigger.SCHEDULE, params);
  }
}
