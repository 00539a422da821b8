package io.lakeport.airflow;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One DAG run as Airflow's REST API reports it: its id, state ({@code queued}, {@code running},
 * {@code success}, {@code failed}), logical date (none for Airflow 3 runs triggered without one),
 * start and end, and the conf it was triggered with.
 */
public record DagRun(
    String dagId,
    String runId,
    String state,
    Optional<Instant> logicalDate,
    Optional<Instant> startDate,
    Optional<Instant> endDate,
    Map<String, Object> conf) {

  public DagRun {
    requireNonNull(dagId, "dagId is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(state, "state is null");
    requireNonNull(logicalDate, "logicalDate is null");
    requireNonNull(startDate, "startDate is null");
    requireNonNull(endDate, "endDate is null");
    conf = Map.copyOf(conf);
  }
}
