package io.lakeport.plan;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;

import io.lakeport.config.Param;
import io.lakeport.config.PlanSpec.Aggregation;
import io.lakeport.config.PlanSpec.Metric;
import io.lakeport.config.PlanSpec.MetricFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/** Aggregate columns for a job's metrics, each named as the job says. */
final class Metrics {
  /** Accuracy of approx_percentile: Spark's default, relative error about 1/10,000. */
  private static final int APPROX_ACCURACY = 10_000;

  private Metrics() {}

  /**
   * Each metric's column, named; a metric of an expression has its {@code :name} markers bound to
   * the job's params, and is checked on its own against the keys (so that a mistake in it is
   * reported at its line): Spark must resolve it, and it must aggregate.
   */
  static List<Column> compile(
      Dataset<Row> df,
      List<Column> keys,
      List<Metric> metrics,
      Map<String, Param> params,
      PlanProblems problems) {
    List<Column> columns = new ArrayList<>();
    for (Metric m : metrics) {
      if (m.column().isPresent() && !PlanProblems.has(df.schema(), m.column().get())) {
        problems.unknownColumn(m.origin(), m.column().get(), df.schema());
        continue;
      }
      if (m.function() == MetricFunction.EXPRESSION) {
        String text = m.expression().orElseThrow();
        Optional<Column> column =
            problems.analyze(m.origin(), () -> expr(SqlParameters.bind(text, params)));
        Optional<Dataset<Row>> alone =
            column.flatMap(
                c ->
                    problems.analyze(
                        m.origin(),
                        () -> df.groupBy(keys.toArray(Column[]::new)).agg(c.as(m.name()))));
        if (alone.isEmpty()) {
          continue;
        }
        if (!aggregates(alone.get())) {
          problems.add(
              m.origin(),
              "the metric \"" + text + "\" aggregates nothing",
              "Use an aggregate function over the rows of a group, e.g. sum(price * qty),"
                  + " count_if(status = 'paid'), max_by(city, population),"
                  + " approx_percentile(amount, 0.9).");
          continue;
        }
        columns.add(column.get().as(m.name()));
        continue;
      }
      columns.add(aggregate(m).as(m.name()));
    }
    return columns;
  }

  /** Whether the one metric of an analysed aggregation holds an aggregate function. */
  private static boolean aggregates(Dataset<Row> aggregated) {
    LogicalPlan analyzed = aggregated.queryExecution().analyzed();
    if (!(analyzed instanceof Aggregate aggregate)) {
      return false;
    }
    List<NamedExpression> outputs = CollectionConverters.asJava(aggregate.aggregateExpressions());
    return holdsAggregate((Expression) outputs.get(outputs.size() - 1));
  }

  private static boolean holdsAggregate(Expression expression) {
    if (expression instanceof AggregateExpression) {
      return true;
    }
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      if (holdsAggregate(child)) {
        return true;
      }
    }
    return false;
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
      case EXPRESSION -> throw new IllegalArgumentException("compiled by compile");
    };
  }
}
