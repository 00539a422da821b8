package io.lakeport.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A compiled plan: the output Dataset and its steps in words, for {@code explain}. */
public record CompiledPlan(Dataset<Row> output, List<String> steps) {
  public CompiledPlan {
    requireNonNull(output, "output is null");
    steps = List.copyOf(steps);
  }
}
