package io.lakeport.run;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import org.apache.spark.sql.catalyst.trees.TreeNodeTag;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Which operators of a physical plan the Comet accelerator runs natively (its {@code Comet*}
 * operators) and, for each of the others, why Comet left it to Spark: the reasons Comet's planner
 * records on plan nodes and expressions (the tag {@code CometFallbackReasons}, read by name so that
 * this class needs no Comet class). Wrappers that are not operators of their own (adaptive
 * execution, whole-stage code generation, row/columnar transitions) are looked through.
 */
public record NativeOperators(List<Operator> operators) {
  /**
   * The tag Comet 1.x records fallback reasons under ({@code CometExplainInfo.FALLBACK_REASONS}).
   */
  private static final TreeNodeTag<scala.collection.immutable.Set<String>> FALLBACK_REASONS =
      new TreeNodeTag<>("CometFallbackReasons");

  /** One operator: its name, whether it runs natively, and why not when it does not. */
  public record Operator(String name, boolean isNative, Set<String> reasons) {
    public Operator {
      requireNonNull(name, "name is null");
      reasons = Set.copyOf(reasons);
    }
  }

  public NativeOperators {
    operators = List.copyOf(operators);
  }

  /** The operators of {@code plan}, top down. */
  public static NativeOperators of(SparkPlan plan) {
    List<Operator> operators = new ArrayList<>();
    collect(plan, operators);
    return new NativeOperators(operators);
  }

  /** How many operators run natively. */
  public long nativeCount() {
    return operators.stream().filter(Operator::isNative).count();
  }

  /** "Comet runs N of M operators natively", then one line per operator with its reasons. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "Comet runs %d of %d operators natively.%n",
            nativeCount(),
            operators.size()));
    for (Operator operator : operators) {
      text.append(operator.isNative() ? "  native  " : "  spark   ").append(operator.name());
      if (!operator.isNative()) {
        text.append(
            operator.reasons().isEmpty()
                ? ": no reason recorded (Comet does not handle this operator)"
                : ": " + String.join("; ", new TreeSet<>(operator.reasons())));
      }
      text.append(System.lineSeparator());
    }
    return text.toString();
  }

  private static void collect(SparkPlan node, List<Operator> operators) {
    if (node instanceof AdaptiveSparkPlanExec adaptive) {
      collect(adaptive.executedPlan(), operators);
      return;
    }
    if (node instanceof QueryStageExec stage) {
      collect(stage.plan(), operators);
      return;
    }
    if (!isWrapper(node)) {
      String name = node.nodeName().trim();
      operators.add(new Operator(name, name.startsWith("Comet"), reasons(node)));
    }
    for (SparkPlan child : CollectionConverters.asJava(node.children())) {
      collect(child, operators);
    }
  }

  /** Nodes that only wrap or convert: not operators of the job's plan. */
  private static boolean isWrapper(SparkPlan node) {
    String name = node.nodeName();
    return node instanceof WholeStageCodegenExec
        || node instanceof InputAdapter
        || name.endsWith("ColumnarToRow")
        || name.endsWith("RowToColumnar");
  }

  private static Set<String> reasons(SparkPlan node) {
    Set<String> reasons = new TreeSet<>(tagged(node));
    for (Expression expression : CollectionConverters.asJava(node.expressions())) {
      addExpressionReasons(expression, reasons);
    }
    return reasons;
  }

  private static void addExpressionReasons(Expression expression, Set<String> reasons) {
    reasons.addAll(tagged(expression));
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      addExpressionReasons(child, reasons);
    }
  }

  private static Set<String> tagged(TreeNode<?> node) {
    scala.Option<scala.collection.immutable.Set<String>> value = node.getTagValue(FALLBACK_REASONS);
    return value.isDefined() ? CollectionConverters.asJava(value.get()) : Set.of();
  }
}
