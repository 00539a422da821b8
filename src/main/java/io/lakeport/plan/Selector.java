package io.lakeport.plan;

import static org.apache.spark.sql.functions.col;

import io.lakeport.config.PlanSpec.Rename;
import io.lakeport.config.PlanSpec.Selection;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Applies include, exclude, rename and order, last, so the output schema is exactly as written. */
final class Selector {
  private final PlanProblems problems;
  private final List<String> steps;

  Selector(PlanProblems problems, List<String> steps) {
    this.problems = problems;
    this.steps = steps;
  }

  Dataset<Row> select(Dataset<Row> df, Selection selection) {
    if (!selection.include().isEmpty()) {
      df =
          df.select(existing(df, selection.include(), selection, "columns").toArray(Column[]::new));
      steps.add("keep columns " + selection.include());
    }
    if (!selection.exclude().isEmpty()) {
      existing(df, selection.exclude(), selection, "exclude");
      df = df.drop(selection.exclude().toArray(String[]::new));
      steps.add("exclude " + selection.exclude());
    }
    for (Rename r : selection.rename()) {
      if (PlanProblems.has(df.schema(), r.from())
          && !r.to().equalsIgnoreCase(r.from())
          && PlanProblems.has(df.schema(), r.to())) {
        problems.add(
            r.origin(),
            "cannot rename \"" + r.from() + "\" to \"" + r.to() + "\": that column exists already",
            "Choose another name, or leave the other " + r.to() + " out with plan.select.exclude.");
      } else if (PlanProblems.has(df.schema(), r.from())) {
        df = df.withColumnRenamed(r.from(), r.to());
        steps.add("rename " + r.from() + " to " + r.to());
      } else {
        problems.unknownColumn(r.origin(), r.from(), df.schema());
      }
    }
    if (!selection.order().isEmpty()) {
      List<Column> ordered = ordered(df, selection);
      for (String name : df.columns()) {
        if (selection.order().stream().noneMatch(name::equalsIgnoreCase)) {
          ordered.add(col(name));
        }
      }
      df = df.select(ordered.toArray(Column[]::new));
      steps.add("order columns " + selection.order());
    }
    return df;
  }

  /**
   * The columns {@code order} names, which must exist after exclude and rename; an excluded or
   * renamed column is named as such.
   */
  private List<Column> ordered(Dataset<Row> df, Selection selection) {
    List<Column> columns = new ArrayList<>();
    for (String name : selection.order()) {
      if (PlanProblems.has(df.schema(), name)) {
        columns.add(col(name));
      } else if (selection.exclude().stream().anyMatch(name::equalsIgnoreCase)) {
        problems.add(
            selection.origin("order"),
            "column \"" + name + "\" is excluded (plan.select.exclude), so it cannot be ordered",
            "Remove it from order, or from exclude.");
      } else if (selection.rename().stream().anyMatch(r -> r.from().equalsIgnoreCase(name))) {
        problems.add(
            selection.origin("order"),
            "column \"" + name + "\" is renamed, and order names columns after renaming",
            "Write its new name in order.");
      } else {
        problems.unknownColumn(selection.origin("order"), name, df.schema());
      }
    }
    return columns;
  }

  private List<Column> existing(
      Dataset<Row> df, List<String> names, Selection selection, String key) {
    List<Column> columns = new ArrayList<>();
    for (String name : names) {
      if (PlanProblems.has(df.schema(), name)) {
        columns.add(col(name));
      } else {
        problems.unknownColumn(selection.origin(key), name, df.schema());
      }
    }
    return columns;
  }
}
