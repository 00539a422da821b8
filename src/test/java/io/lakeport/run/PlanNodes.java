package io.lakeport.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.execution.SparkPlanInfo;
import org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The operators Spark really executed: the last physical plan (after adaptive re-planning) of every
 * SQL execution since {@link #clear()}, as the listener bus reports them to the Spark UI, so the
 * plans of a run's writes are seen, not a plan built on the side.
 */
final class PlanNodes extends SparkListener {
  private final SparkContext context;
  private final Map<Long, SparkPlanInfo> plans = new ConcurrentHashMap<>();

  private PlanNodes(SparkContext context) {
    this.context = context;
  }

  static PlanNodes listen(SparkContext context) {
    PlanNodes nodes = new PlanNodes(context);
    context.addSparkListener(nodes);
    return nodes;
  }

  @Override
  public void onOtherEvent(SparkListenerEvent event) {
    if (event instanceof SparkListenerSQLExecutionStart start) {
      plans.put(start.executionId(), start.sparkPlanInfo());
    } else if (event instanceof SparkListenerSQLAdaptiveExecutionUpdate update) {
      plans.put(update.executionId(), update.sparkPlanInfo());
    }
  }

  void clear() throws Exception {
    context.listenerBus().waitUntilEmpty();
    plans.clear();
  }

  /** The node names of the final plans of the executions since {@link #clear()}. */
  TreeSet<String> names() throws Exception {
    context.listenerBus().waitUntilEmpty();
    TreeSet<String> names = new TreeSet<>();
    plans.values().forEach(p -> collect(p, names));
    return names;
  }

  /**
   * The metadata of the file scans of the executions since {@link #clear()} (Location, ReadSchema).
   */
  List<Map<String, String>> scans() throws Exception {
    context.listenerBus().waitUntilEmpty();
    List<Map<String, String>> scans = new ArrayList<>();
    plans.values().forEach(p -> scans(p, scans));
    return scans;
  }

  private static void scans(SparkPlanInfo plan, List<Map<String, String>> scans) {
    Map<String, String> metadata = CollectionConverters.asJava(plan.metadata());
    if (metadata.containsKey("Location")) {
      scans.add(Map.copyOf(metadata));
    }
    CollectionConverters.asJava(plan.children()).forEach(c -> scans(c, scans));
  }

  /** The final plans' trees as text (one node a line), for failure messages. */
  String describe() {
    List<String> lines = new ArrayList<>();
    plans.values().forEach(p -> describe(p, "", lines));
    return String.join("\n", lines);
  }

  private static void collect(SparkPlanInfo plan, TreeSet<String> names) {
    names.add(plan.nodeName());
    CollectionConverters.asJava(plan.children()).forEach(c -> collect(c, names));
  }

  private static void describe(SparkPlanInfo plan, String indent, List<String> lines) {
    lines.add(indent + plan.simpleString());
    CollectionConverters.asJava(plan.children()).forEach(c -> describe(c, indent + "  ", lines));
  }
}
