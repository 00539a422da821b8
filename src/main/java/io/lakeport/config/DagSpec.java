package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A job's {@code airflow} block (over {@code lakeport.job-defaults.airflow}): how its generated DAG
 * is set up in Airflow. The first day Airflow schedules ({@code startDate}, fixed so that
 * generating again gives the same file), the task's owner, pool and queue, extra tags, callbacks
 * (dotted Python names such as {@code teamhooks.alerts.page_oncall}), and the Airflow
 * Datasets/Assets the export task produces ({@code outlets}; by default the export's location
 * without its run-dependent part).
 */
public record DagSpec(
    Optional<LocalDate> startDate,
    String owner,
    Optional<String> pool,
    int poolSlots,
    Optional<String> queue,
    List<String> tags,
    List<String> onFailureCallbacks,
    List<String> onSuccessCallbacks,
    List<String> onRetryCallbacks,
    List<String> outlets) {

  public DagSpec {
    requireNonNull(startDate, "startDate is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(pool, "pool is null");
    requireNonNull(queue, "queue is null");
    tags = List.copyOf(tags);
    onFailureCallbacks = List.copyOf(onFailureCallbacks);
    onSuccessCallbacks = List.copyOf(onSuccessCallbacks);
    onRetryCallbacks = List.copyOf(onRetryCallbacks);
    outlets = List.copyOf(outlets);
  }
}
