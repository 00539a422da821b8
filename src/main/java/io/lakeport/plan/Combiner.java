package io.lakeport.plan;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.lakeport.config.JobSpec;
import io.lakeport.config.PlanSpec.Broadcast;
import io.lakeport.config.PlanSpec.Combine;
import io.lakeport.config.PlanSpec.Join;
import io.lakeport.config.PlanSpec.Union;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Makes one table of a job's inputs, as its plan's {@link Join} or {@link Union} says, before the
 * other steps. Every mistake the inputs' schemas reveal is a problem at the block's line: a join
 * key one side lacks, two output columns of one name, a union of inputs whose columns do not line
 * up or whose types cannot share a column.
 */
final class Combiner {
  private final JobSpec job;
  private final PlanProblems problems;
  private final List<String> steps;

  Combiner(JobSpec job, PlanProblems problems, List<String> steps) {
    this.job = job;
    this.problems = problems;
    this.steps = steps;
  }

  /** The combined table, or empty when a problem keeps the inputs from combining. */
  Optional<Dataset<Row>> combine(Combine combine, Map<String, Dataset<Row>> inputs) {
    if (combine instanceof Join join) {
      return join(join, inputs.get(join.left()), inputs.get(join.right()));
    }
    Union union = (Union) combine;
    Map<String, Dataset<Row>> parts = new LinkedHashMap<>();
    union.inputs().forEach(name -> parts.put(name, inputs.get(name)));
    return union(union, parts);
  }

  private Optional<Dataset<Row>> join(Join join, Dataset<Row> leftInput, Dataset<Row> rightInput) {
    boolean keys = join.condition().isEmpty();
    for (String key : join.on()) {
      missingKey(join, key, join.left(), leftInput.schema());
      missingKey(join, key, join.right(), rightInput.schema());
    }
    List<String> leftColumns = others(leftInput.schema(), keys ? join.on() : List.of());
    List<String> rightColumns =
        join.type().keepsRight()
            ? others(rightInput.schema(), keys ? join.on() : List.of())
            : List.of();
    List<String> output = new ArrayList<>(keys ? join.on() : List.of());
    leftColumns.forEach(c -> output.add(join.leftPrefix() + c));
    rightColumns.forEach(c -> output.add(join.rightPrefix() + c));
    ambiguous(join, output, leftColumns, rightColumns);
    if (problems.any()) {
      return Optional.empty();
    }
    Dataset<Row> left =
        (join.broadcast() == Broadcast.LEFT ? functions.broadcast(leftInput) : leftInput)
            .as(join.left());
    Dataset<Row> right =
        (join.broadcast() == Broadcast.RIGHT ? functions.broadcast(rightInput) : rightInput)
            .as(join.right());
    Optional<Dataset<Row>> joined =
        keys
            ? Optional.of(
                left.join(
                    right, CollectionConverters.asScala(join.on()).toSeq(), join.type().spark()))
            : problems.analyze(
                join.origin("condition"),
                () ->
                    left.join(
                        right,
                        expr(SqlParameters.bind(join.condition().get(), job.params())),
                        join.type().spark()));
    if (joined.isEmpty()) {
      return Optional.empty();
    }
    List<Column> columns = new ArrayList<>();
    if (keys) {
      join.on().forEach(key -> columns.add(col(quoted(key))));
    }
    leftColumns.forEach(c -> columns.add(col(quoted(join.left(), c)).as(join.leftPrefix() + c)));
    rightColumns.forEach(c -> columns.add(col(quoted(join.right(), c)).as(join.rightPrefix() + c)));
    steps.add(
        "join "
            + join.left()
            + " with "
            + join.right()
            + " ("
            + join.type().name().toLowerCase(Locale.ROOT)
            + ") "
            + (keys ? "on " + String.join(", ", join.on()) : "where " + join.condition().get())
            + (join.broadcast() == Broadcast.AUTO
                ? ""
                : ", broadcasting "
                    + (join.broadcast() == Broadcast.LEFT ? join.left() : join.right())));
    return problems.analyze(
        join.origin(), () -> joined.get().select(columns.toArray(Column[]::new)));
  }

  private void missingKey(Join join, String key, String input, StructType schema) {
    if (!PlanProblems.has(schema, key)) {
      problems.add(
          join.origin("on"),
          "join key \"" + key + "\" is not a column of input " + input,
          "Columns of " + input + ": " + PlanProblems.columns(schema) + ".");
    }
  }

  /** The columns of {@code schema} but the keys, compared as Spark does (case-insensitively). */
  private static List<String> others(StructType schema, List<String> keys) {
    return Arrays.stream(schema.fieldNames())
        .filter(name -> keys.stream().noneMatch(key -> key.equalsIgnoreCase(name)))
        .toList();
  }

  private void ambiguous(
      Join join, List<String> output, List<String> leftColumns, List<String> rightColumns) {
    Set<String> seen = new LinkedHashSet<>();
    Set<String> twice = new LinkedHashSet<>();
    for (String name : output) {
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        twice.add(name);
      }
    }
    if (twice.isEmpty()) {
      return;
    }
    boolean rightHasIt =
        rightColumns.stream()
            .anyMatch(
                c -> twice.stream().anyMatch(t -> t.equalsIgnoreCase(join.rightPrefix() + c)));
    problems.add(
        join.origin(),
        "after joining "
            + join.left()
            + " with "
            + join.right()
            + ", "
            + (twice.size() == 1 ? "column " : "columns ")
            + twice.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "))
            + (twice.size() == 1 ? " would be" : " would each be")
            + " there twice"
            + (rightHasIt && leftColumns.isEmpty() ? "" : ", once from each input"),
        "Set join.right-prefix = \""
            + join.right()
            + "_\" (or left-prefix) so each input's columns keep their own names"
            + (join.condition().isPresent()
                ? ", or match on = [" + twice.iterator().next() + "] if it is the key both share"
                : "")
            + "; select.rename then names them as the export should.");
  }

  private Optional<Dataset<Row>> union(Union union, Map<String, Dataset<Row>> parts) {
    List<String> names = List.copyOf(parts.keySet());
    String first = names.get(0);
    StructType firstSchema = parts.get(first).schema();
    for (String name : names.subList(1, names.size())) {
      StructType schema = parts.get(name).schema();
      if (union.byName()) {
        if (!union.allowMissingColumns()) {
          missingColumns(union, first, firstSchema, name, schema);
          missingColumns(union, name, schema, first, firstSchema);
        }
      } else if (schema.size() != firstSchema.size()) {
        problems.add(
            union.origin("inputs"),
            "a union by position needs inputs of as many columns, and "
                + name
                + " has "
                + schema.size()
                + " where "
                + first
                + " has "
                + firstSchema.size(),
            "Set union.by-name = true to match columns by name.");
      }
    }
    if (problems.any()) {
      return Optional.empty();
    }
    Dataset<Row> result = parts.get(first);
    for (String name : names.subList(1, names.size())) {
      Dataset<Row> sofar = result;
      Dataset<Row> next = parts.get(name);
      Optional<Dataset<Row>> unioned =
          PlanProblems.analyzeQuietly(
              () ->
                  union.byName()
                      ? sofar.unionByName(next, union.allowMissingColumns())
                      : sofar.union(next));
      if (unioned.isEmpty()) {
        incompatible(union, first, firstSchema, name, next.schema());
        return Optional.empty();
      }
      result = unioned.get();
    }
    steps.add(
        "union "
            + (union.byName() ? "by name" : "by position")
            + " of "
            + String.join(", ", names)
            + (union.allowMissingColumns() ? " (missing columns null)" : ""));
    return Optional.of(result);
  }

  private void missingColumns(
      Union union, String has, StructType hasSchema, String lacks, StructType lacksSchema) {
    List<String> missing =
        Arrays.stream(hasSchema.fieldNames())
            .filter(c -> !PlanProblems.has(lacksSchema, c))
            .toList();
    if (!missing.isEmpty()) {
      problems.add(
          union.origin("inputs"),
          "input "
              + lacks
              + " has no column "
              + missing.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "))
              + " that input "
              + has
              + " has",
          "Set union.allow-missing-columns = true (those values are null in "
              + lacks
              + "'s rows), or read the same columns from both inputs.");
    }
  }

  /** Reports the columns whose types keep two inputs from sharing them. */
  private void incompatible(
      Union union, String first, StructType firstSchema, String name, StructType schema) {
    List<String> clashes = new ArrayList<>();
    for (int i = 0; i < firstSchema.size(); i++) {
      StructField field = firstSchema.fields()[i];
      Optional<DataType> other =
          union.byName()
              ? Arrays.stream(schema.fields())
                  .filter(f -> f.name().equalsIgnoreCase(field.name()))
                  .map(StructField::dataType)
                  .findFirst()
              : Optional.of(schema.fields()[i].dataType());
      other
          .filter(type -> !type.sameType(field.dataType()))
          .ifPresent(
              type ->
                  clashes.add(
                      "\""
                          + field.name()
                          + "\" is "
                          + field.dataType().simpleString()
                          + " in "
                          + first
                          + " and "
                          + type.simpleString()
                          + " in "
                          + name));
    }
    problems.add(
        union.origin("inputs"),
        "inputs "
            + first
            + " and "
            + name
            + " cannot be one table: "
            + (clashes.isEmpty() ? "their columns do not line up" : String.join("; ", clashes)),
        "Give the inputs one type per column (e.g. a schema on a CSV or JSON input), or export"
            + " them in separate jobs.");
  }

  /** A column name quoted for Spark, backticks doubled. */
  private static String quoted(String... parts) {
    return Arrays.stream(parts)
        .map(part -> "`" + part.replace("`", "``") + "`")
        .collect(Collectors.joining("."));
  }
}
