package io.lakeport.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.lakeport.config.Filter.Operator;
import io.lakeport.config.PlanSpec.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a {@code where} tree: a SQL string, or an object with one of {@code and}, {@code or},
 * {@code not}, {@code sql}, or {@code column} plus one operator (and optionally {@code unit}).
 */
final class FilterReader {
  static final String AND = "and";
  static final String OR = "or";
  static final String NOT = "not";
  static final String SQL = "sql";
  static final String COLUMN = "column";
  static final String UNIT = "unit";

  private final Problems problems;

  FilterReader(Problems problems) {
    this.problems = problems;
  }

  Optional<Filter> read(ConfigValue value, String path) {
    Origin origin = Section.originOf(value.origin(), path);
    if (value.valueType() == ConfigValueType.STRING) {
      return Optional.of(new Filter.Sql((String) value.unwrapped(), origin));
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          origin,
          "expected a filter object or a SQL string, found " + typeName(value),
          "Write { column = c, eq = v }, { and = [ ... ] } or \"c = 'v'\".");
      return Optional.empty();
    }
    ConfigObject object = (ConfigObject) value;
    if (object.containsKey(AND) || object.containsKey(OR)) {
      return group(object, path, origin);
    }
    if (object.containsKey(NOT)) {
      onlyKeys(object, path, Set.of(NOT));
      return read(object.get(NOT), path + "." + NOT).map(inner -> new Filter.Not(inner, origin));
    }
    if (object.containsKey(SQL)) {
      onlyKeys(object, path, Set.of(SQL));
      return Optional.of(new Filter.Sql(String.valueOf(object.get(SQL).unwrapped()), origin));
    }
    return predicate(object, path, origin);
  }

  private Optional<Filter> group(ConfigObject object, String path, Origin origin) {
    String key = object.containsKey(AND) ? AND : OR;
    onlyKeys(object, path, Set.of(key));
    ConfigValue children = object.get(key);
    if (children.valueType() != ConfigValueType.LIST
        || ((List<?>) children.unwrapped()).isEmpty()) {
      problems.add(
          origin.child(key),
          "expected a non-empty list of filters",
          "Write " + key + " = [ { ... }, { ... } ].");
      return Optional.empty();
    }
    List<Filter> filters = new ArrayList<>();
    List<? extends ConfigValue> list = ((ConfigList) children);
    for (int i = 0; i < list.size(); i++) {
      read(list.get(i), path + "." + key + "[" + i + "]").ifPresent(filters::add);
    }
    return Optional.of(
        key.equals(AND) ? new Filter.And(filters, origin) : new Filter.Or(filters, origin));
  }

  private Optional<Filter> predicate(ConfigObject object, String path, Origin origin) {
    List<Operator> operators = new ArrayList<>();
    Set<String> valid = new TreeSet<>(List.of(COLUMN, UNIT));
    for (Operator operator : Operator.values()) {
      valid.add(Section.keyName(operator));
      if (object.containsKey(Section.keyName(operator))) {
        operators.add(operator);
      }
    }
    valid.addAll(List.of(AND, OR, NOT, SQL));
    onlyKeys(object, path, valid);
    if (!object.containsKey(COLUMN)) {
      problems.add(
          origin,
          "a filter needs a column and an operator, or and/or/not/sql",
          "Write { column = severity, eq = high }.");
      return Optional.empty();
    }
    if (operators.size() != 1) {
      problems.add(
          origin.child(COLUMN),
          operators.isEmpty() ? "no operator" : "more than one operator " + operators,
          "Use exactly one of: " + String.join(", ", Section.names(Operator.class)) + ".");
      return Optional.empty();
    }
    Operator operator = operators.get(0);
    String column = String.valueOf(object.get(COLUMN).unwrapped());
    ConfigValue operand = object.get(Section.keyName(operator));
    Origin operandOrigin =
        Section.originOf(operand.origin(), path + "." + Section.keyName(operator));
    List<String> values = values(operator, operand, operandOrigin);
    Optional<TimeUnit> unit = unit(object, path);
    return Optional.of(new Filter.Predicate(column, operator, values, unit, origin));
  }

  private List<String> values(Operator operator, ConfigValue operand, Origin origin) {
    int arity = operator.arity();
    if (arity == 0) {
      if (!Boolean.TRUE.equals(operand.unwrapped())) {
        problems.add(origin, "expected true", "Write " + Section.keyName(operator) + " = true.");
      }
      return List.of();
    }
    if (arity == 1) {
      if (operand.valueType() == ConfigValueType.LIST
          || operand.valueType() == ConfigValueType.OBJECT
          || operand.valueType() == ConfigValueType.NULL) {
        problems.add(
            origin,
            "expected one value, found " + typeName(operand),
            operand.valueType() == ConfigValueType.NULL
                ? "Use is-null = true to match nulls."
                : "Use in = [ ... ] for several values.");
        return List.of("");
      }
      String text = String.valueOf(operand.unwrapped());
      if (operator == Operator.REGEX) {
        checkRegex(text, origin);
      }
      return List.of(text);
    }
    List<String> values = new ArrayList<>();
    if (operand.valueType() == ConfigValueType.LIST) {
      for (ConfigValue item : (ConfigList) operand) {
        if (item.valueType() == ConfigValueType.OBJECT
            || item.valueType() == ConfigValueType.LIST
            || item.valueType() == ConfigValueType.NULL) {
          problems.add(origin, "expected plain values, found " + typeName(item), "");
        } else {
          values.add(String.valueOf(item.unwrapped()));
        }
      }
    }
    if (arity == 2 && values.size() != 2 || arity < 0 && values.isEmpty()) {
      problems.add(
          origin,
          arity == 2 ? "expected two bounds [low, high]" : "expected a non-empty list",
          arity == 2
              ? "Write between = [low, high]."
              : "Write " + Section.keyName(operator) + " = [a, b].");
    }
    return values;
  }

  private Optional<TimeUnit> unit(ConfigObject object, String path) {
    if (!object.containsKey(UNIT)) {
      return Optional.empty();
    }
    ConfigValue value = object.get(UNIT);
    String text = String.valueOf(value.unwrapped()).toLowerCase(Locale.ROOT);
    for (TimeUnit unit : TimeUnit.values()) {
      if (Section.keyName(unit).equals(text)) {
        return Optional.of(unit);
      }
    }
    problems.add(
        Section.originOf(value.origin(), path + "." + UNIT),
        "unknown unit \"" + text + "\"",
        "Expected one of: " + String.join(", ", Section.names(TimeUnit.class)) + ".");
    return Optional.empty();
  }

  private void checkRegex(String text, Origin origin) {
    try {
      Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      problems.add(
          origin,
          "invalid regular expression: " + e.getDescription(),
          "Fix the pattern (Java regex syntax).");
    }
  }

  private void onlyKeys(ConfigObject object, String path, Set<String> valid) {
    for (String key : object.keySet()) {
      if (!valid.contains(key)) {
        problems.add(
            Section.originOf(object.get(key).origin(), path + "." + key),
            "unknown key \"" + key + "\"",
            Problems.suggestion(key, valid)
                + "Valid keys here: "
                + String.join(", ", new TreeSet<>(valid))
                + ".");
      }
    }
  }

  private static String typeName(ConfigValue value) {
    return value.valueType().name().toLowerCase(Locale.ROOT);
  }
}
