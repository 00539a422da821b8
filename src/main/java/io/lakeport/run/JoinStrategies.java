package io.lakeport.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.joins.BaseJoinExec;
import org.apache.spark.sql.execution.joins.HashJoin;
import scala.jdk.javaapi.CollectionConverters;

/**
 * How Spark plans to run the joins of a query, for {@code explain}: the strategy of each join
 * (broadcast hash, sort-merge, shuffled hash, nested loop), its type and which side is built.
 * Adaptive execution may still change a strategy at run time, from the sizes it then sees.
 */
public final class JoinStrategies {
  private JoinStrategies() {}

  /** One line per join of {@code plan}, outermost first; "no joins" when it has none. */
  public static String explain(SparkPlan plan) {
    List<String> lines = new ArrayList<>();
    collect(plan, lines);
    if (lines.isEmpty()) {
      return "no joins\n";
    }
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line).append('\n'));
    return text.append("(as planned; adaptive execution may change a strategy at run time)\n")
        .toString();
  }

  private static void collect(SparkPlan plan, List<String> lines) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      collect(adaptive.executedPlan(), lines);
      return;
    }
    if (plan instanceof QueryStageExec stage) {
      collect(stage.plan(), lines);
      return;
    }
    if (plan instanceof BaseJoinExec join) {
      String line = plan.nodeName() + " (" + join.joinType().sql().toLowerCase(Locale.ROOT) + ")";
      if (plan instanceof HashJoin hash) {
        line +=
            ", builds the "
                + hash.buildSide().toString().toLowerCase(Locale.ROOT).replace("build", "")
                + " side"
                + (plan.nodeName().startsWith("Broadcast") ? ", sent to every executor" : "");
      }
      lines.add(line);
    } else if (plan.nodeName().contains("Join") || plan.nodeName().contains("CartesianProduct")) {
      lines.add(plan.nodeName());
    }
    CollectionConverters.asJava(plan.children()).forEach(child -> collect(child, lines));
  }
}
