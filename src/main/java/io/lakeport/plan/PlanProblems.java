package io.lakeport.plan;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.EngineMessages;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.Origin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The problems found while compiling a plan against the source schema (unknown columns, bad SQL,
 * values that do not fit a column's type), each pointing at the job file line that caused it.
 */
final class PlanProblems {
  private final List<ConfigProblem> problems = new ArrayList<>();

  void add(Origin origin, String problem, String fix) {
    problems.add(new ConfigProblem(origin, problem, fix));
  }

  void add(Origin origin, AnalysisException e) {
    add(origin, sparkMessage(e), "");
  }

  /**
   * Runs a DataFrame operation that Spark analyses eagerly; an analysis or parse error becomes a
   * problem at {@code origin} instead of an exception.
   */
  <T> Optional<T> analyze(Origin origin, Supplier<T> operation) {
    try {
      return Optional.of(operation.get());
    } catch (Exception e) {
      if (e instanceof AnalysisException analysis) {
        add(origin, analysis);
        return Optional.empty();
      }
      throw e;
    }
  }

  void unknownColumn(Origin origin, String column, StructType schema) {
    add(
        origin,
        "unknown column \"" + column + "\"",
        "Columns at this step: " + columns(schema) + ".");
  }

  /**
   * Whether {@code column} exists in {@code schema}, compared as Spark does (case-insensitively).
   */
  static boolean has(StructType schema, String column) {
    return Arrays.stream(schema.fieldNames()).anyMatch(name -> name.equalsIgnoreCase(column));
  }

  /**
   * Whether {@code column} holds dates or timestamps (zoned or zone-less); reports a problem at
   * {@code origin}'s column key when it does not.
   */
  static boolean isTemporal(
      StructType schema, String column, Origin origin, PlanProblems problems) {
    DataType type = type(schema, column);
    if (type instanceof DateType
        || type instanceof TimestampType
        || type instanceof TimestampNTZType) {
      return true;
    }
    problems.add(
        origin.child("column"),
        "a time bucket needs a date or timestamp column, and \""
            + column
            + "\" is "
            + type.simpleString(),
        "Convert it first with plan.standardize, or with plan.derive (e.g. "
            + column
            + "_ts = \"to_timestamp("
            + column
            + ")\") and bucket that column.");
    return false;
  }

  /** The type of {@code column} (compared case-insensitively); the column must exist. */
  static DataType type(StructType schema, String column) {
    return Arrays.stream(schema.fields())
        .filter(f -> f.name().equalsIgnoreCase(column))
        .findFirst()
        .orElseThrow()
        .dataType();
  }

  static String columns(StructType schema) {
    return String.join(", ", schema.fieldNames());
  }

  boolean any() {
    return !problems.isEmpty();
  }

  /**
   * Runs a DataFrame operation that Spark analyses eagerly; empty when Spark refuses it, for the
   * caller to say why in its own words.
   */
  static <T> Optional<T> analyzeQuietly(Supplier<T> operation) {
    try {
      return Optional.of(operation.get());
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new JobConfigException(problems);
    }
  }

  static String sparkMessage(AnalysisException e) {
    return EngineMessages.summary(e.getMessage());
  }
}
