package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One export job, validated: where it reads ({@code source}: its only input, or with several {@code
 * inputs} the first one its plan combines, which stands for them where one is shown), what it
 * computes, where it writes, the quality its output must have, what its scheduler alerts about, the
 * parameter values of this run, and when it runs by itself ({@code schedule}, empty for jobs run by
 * hand only), and who is told how its runs went ({@code notifications}, over the site's
 * subscriptions), and how its Airflow DAG is set up ({@code airflow}). Built by {@link JobLoader};
 * everything a run needs, nothing Spark-specific.
 */
public record JobSpec(
    String name,
    String description,
    String file,
    ZoneId timeZone,
    Window window,
    Map<String, Param> params,
    SourceSpec source,
    List<InputSpec> inputs,
    PlanSpec plan,
    SinkSpec sink,
    QualitySpec quality,
    SchemaDriftSpec schemaDrift,
    AlertSpec alerts,
    IncrementalSpec incremental,
    Optional<ScheduleSpec> schedule,
    NotificationSpec notifications,
    RetentionSpec retention,
    DagSpec airflow,
    Optional<FanOutSpec> fanOut) {

  public JobSpec {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(file, "file is null");
    requireNonNull(timeZone, "timeZone is null");
    requireNonNull(window, "window is null");
    params = Map.copyOf(params);
    requireNonNull(source, "source is null");
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty() || !inputs.get(0).source().equals(source)) {
      throw new IllegalArgumentException("the source is the first of the inputs");
    }
    requireNonNull(plan, "plan is null");
    requireNonNull(sink, "sink is null");
    requireNonNull(quality, "quality is null");
    requireNonNull(schemaDrift, "schemaDrift is null");
    requireNonNull(alerts, "alerts is null");
    requireNonNull(incremental, "incremental is null");
    requireNonNull(retention, "retention is null");
    requireNonNull(schedule, "schedule is null");
    requireNonNull(notifications, "notifications is null");
    requireNonNull(airflow, "airflow is null");
    requireNonNull(fanOut, "fanOut is null");
  }

  /** Whether the job reads several inputs and its plan combines them (a join or a union). */
  public boolean combines() {
    return inputs.size() > 1;
  }
}
