package io.lakeport.plan;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;

import io.lakeport.config.PlanSpec.Aggregation;
import io.lakeport.config.PlanSpec.Metric;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Aggregate columns for a job's metrics, each named as the job says. */
final class Metrics {
  /** Accuracy of approx_percentile: Spark's default, relative error about 1/10,000. */
  private static final int APPROX_ACCURACY = 10_000;

  private Metrics() {}

  static List<Column> compile(Dataset<Row> df, List<Metric> metrics, PlanProblems problems) {
    List<Column> columns = new ArrayList<>();
    for (Metric m : metrics) {
      if (m.column().isPresent() && !PlanProblems.has(df.schema(), m.column().get())) {
        problems.unknownColumn(m.origin(), m.column().get(), df.schema());
        continue;
      }
      columns.add(aggregate(m).as(m.name()));
    }
    return columns;
  }

  /**
   * Refuses a metric named like a group-by column or the time bucket: the output would hold two
   * columns of that name, which no sink can write.
   */
  static void refuseClashes(Aggregation aggregation, PlanProblems problems) {
    List<String> keys = new ArrayList<>(aggregation.groupBy());
    aggregation.timeBucket().ifPresent(b -> keys.add(b.as()));
    for (Metric m : aggregation.metrics()) {
      if (keys.stream().anyMatch(m.name()::equalsIgnoreCase)) {
        problems.add(
            m.origin(),
            "the metric is named like the group key \"" + m.name() + "\"",
            "Give the metric another name; group keys keep theirs in the output.");
      }
    }
  }

  private static Column aggregate(Metric m) {
    Column c = m.column().map(name -> col(name)).orElse(lit(1));
    return switch (m.function()) {
      case COUNT -> count(c);
      case COUNT_DISTINCT -> count_distinct(c);
      case APPROX_COUNT_DISTINCT -> approx_count_distinct(c);
      case SUM -> sum(c);
      case AVG -> avg(c);
      case MIN -> min(c);
      case MAX -> max(c);
      case PERCENTILE -> percentile(c, lit(m.percentile().orElseThrow()));
      case APPROX_PERCENTILE ->
          percentile_approx(c, lit(m.percentile().orElseThrow()), lit(APPROX_ACCURACY));
    };
  }
}
