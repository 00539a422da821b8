package io.lakeport.run;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.EngineMessages;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Origin;
import io.lakeport.config.PlanSpec;
import io.lakeport.failure.Classified;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkException;
import org.apache.spark.sql.AnalysisException;

/**
 * Spark's refusals of a job that no earlier check caught: an analysis or parse error is a mistake
 * in the job (exit code 2), reported at the key that introduced it when the error names a column
 * the job uses there, else at the plan's first line.
 */
final class JobMistakes {
  private JobMistakes() {}

  /** The job mistake {@code failure} stands for, if it is one. */
  static Optional<JobConfigException> of(JobSpec job, Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof Classified || t instanceof SparkException) {
        return Optional.empty();
      }
      if (t instanceof AnalysisException analysis) {
        return Optional.of(
            new JobConfigException(
                List.of(
                    new ConfigProblem(
                        origin(job, analysis),
                        EngineMessages.summary(analysis.getMessage()),
                        ""))));
      }
    }
    return Optional.empty();
  }

  private static Origin origin(JobSpec job, AnalysisException e) {
    String column = e.getMessageParameters().getOrDefault("objectName", "").replace("`", "");
    if (!column.isEmpty()) {
      if (job.sink().partitionBy().stream().anyMatch(column::equalsIgnoreCase)) {
        return job.sink().origin("partition-by");
      }
      if (job.incremental().column().filter(column::equalsIgnoreCase).isPresent()) {
        return job.incremental().origin().child("column");
      }
    }
    return planOrigin(job);
  }

  /** The first line of the plan in the job file, or the sink's when the plan is empty. */
  private static Origin planOrigin(JobSpec job) {
    PlanSpec plan = job.plan();
    List<Origin> origins = new ArrayList<>();
    plan.standardize().forEach(s -> origins.add(s.origin()));
    plan.derive().forEach(d -> origins.add(d.origin()));
    plan.where().ifPresent(w -> origins.add(w.origin()));
    origins.add(plan.nulls().origin());
    plan.aggregate().ifPresent(a -> origins.add(a.origin()));
    origins.add(plan.select().origin());
    return origins.stream()
        .filter(o -> o.line() > 0)
        .min(Comparator.comparingInt(Origin::line))
        .map(o -> new Origin(o.file(), o.line(), "plan"))
        .orElse(job.sink().origin());
  }
}
