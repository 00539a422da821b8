package io.lakeport.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.lakeport.config.QualitySpec.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code quality} section: defaults for row rules ({@code action}, {@code
 * max-failed-ratio}) and the list of {@code rules}. A row rule is written like a filter predicate
 * ({@code column} with one operator, or {@code sql}), or as {@code date-format} on a text column;
 * dataset rules are {@code unique = [columns]} and {@code row-count { min, max, max-drop, max-rise
 * }}.
 */
final class QualityReader {
  static final String ACTION = "action";
  static final String MAX_FAILED_RATIO = "max-failed-ratio";
  static final String RULES = "rules";
  static final String[] KEYS = {ACTION, MAX_FAILED_RATIO, RULES};
  private static final String NAME = "name";
  private static final String UNIQUE = "unique";
  private static final String ROW_COUNT = "row-count";
  private static final String DATE_FORMAT = "date-format";
  private static final String[] ROW_COUNT_KEYS = {"min", "max", "max-drop", "max-rise"};

  private final Section quality;

  QualityReader(Section quality) {
    this.quality = quality;
  }

  QualitySpec read() {
    Action defaultAction = quality.enumValue(ACTION, Action.class, Action.QUARANTINE);
    double defaultRatio = ratio(quality, MAX_FAILED_RATIO).orElse(0.0);
    List<QualitySpec.Rule> rules = new ArrayList<>();
    if (!quality.has(RULES)) {
      return new QualitySpec(List.of(), defaultRatio);
    }
    ConfigValue list = quality.value(RULES);
    if (list.valueType() != ConfigValueType.LIST) {
      quality.problem(
          RULES, "expected a list of rules", "Write rules = [ { column = id, not-null = true } ].");
      return new QualitySpec(List.of(), defaultRatio);
    }
    ConfigList items = (ConfigList) list;
    for (int i = 0; i < items.size(); i++) {
      String path = quality.full(RULES) + "[" + i + "]";
      if (items.get(i).valueType() != ConfigValueType.OBJECT) {
        quality
            .problems()
            .add(
                Section.originOf(items.get(i).origin(), path),
                "expected a rule object { ... }",
                "Write { column = id, not-null = true }.");
        continue;
      }
      rule((ConfigObject) items.get(i), path, defaultAction, defaultRatio).ifPresent(rules::add);
    }
    return new QualitySpec(rules, defaultRatio);
  }

  private Optional<QualitySpec.Rule> rule(
      ConfigObject object, String path, Action defaultAction, double defaultRatio) {
    Section rule = Section.item(object, path, quality.problems());
    Origin origin = Section.originOf(object.origin(), path);
    Optional<String> name = rule.optionalString(NAME);
    Action action = rule.optionalEnum(ACTION, Action.class).orElse(defaultAction);
    Optional<Double> ratio = ratio(rule, MAX_FAILED_RATIO);
    if (object.containsKey(UNIQUE)) {
      List<String> columns = rule.stringList(UNIQUE);
      refuseQuarantine(action, origin, UNIQUE);
      only(object, path, UNIQUE, NAME, ACTION);
      return Optional.of(
          new QualitySpec.UniqueRule(
              name.orElse("unique(" + String.join(", ", columns) + ")"),
              columns,
              datasetAction(action),
              origin));
    }
    if (object.containsKey(ROW_COUNT)) {
      Section bounds =
          new Section(object.toConfig(), ROW_COUNT, quality.problems(), ROW_COUNT_KEYS);
      refuseQuarantine(action, origin, ROW_COUNT);
      only(object, path, ROW_COUNT, NAME, ACTION);
      return Optional.of(
          new QualitySpec.RowCountRule(
              name.orElse("row-count"),
              bounds.optionalLong("min"),
              bounds.optionalLong("max"),
              ratio(bounds, "max-drop"),
              ratio(bounds, "max-rise"),
              datasetAction(action),
              origin));
    }
    ConfigObject written = object.withoutKey(NAME).withoutKey(ACTION).withoutKey(MAX_FAILED_RATIO);
    String ruleName = name.orElse(describe(written));
    ConfigObject check = object.containsKey(DATE_FORMAT) ? dateFormatCheck(rule, written) : written;
    return new FilterReader(quality.problems())
        .read(check, path)
        .map(
            filter ->
                new QualitySpec.RowRule(
                    ruleName,
                    filter,
                    action,
                    ratio.orElse(action == Action.QUARANTINE ? defaultRatio : 0.0),
                    origin));
  }

  /**
   * {@code { column = c, date-format = "yyyy-MM-dd" }}: a text value that does not parse with the
   * pattern fails.
   */
  private static ConfigObject dateFormatCheck(Section rule, ConfigObject check) {
    String column = rule.optionalString(FilterReader.COLUMN).orElse("");
    String pattern = rule.optionalString(DATE_FORMAT).orElse("");
    String quoted = "`" + column.replace("`", "``") + "`";
    String sql =
        "if("
            + quoted
            + " is null, null, try_to_timestamp("
            + quoted
            + ", '"
            + pattern.replace("'", "\\'")
            + "') is not null)";
    return ConfigValueFactory.fromMap(Map.of(FilterReader.SQL, sql), check.origin().description())
        .withOrigin(check.origin());
  }

  private static String describe(ConfigObject check) {
    return check.render(ConfigRenderOptions.concise()).replace("\"", "");
  }

  private void refuseQuarantine(Action action, Origin origin, String kind) {
    if (action == Action.QUARANTINE) {
      quality
          .problems()
          .add(
              origin.child(ACTION),
              "a " + kind + " rule is about the whole export, so it cannot quarantine rows",
              "Set action = fail or warn for this rule.");
    }
  }

  private static Action datasetAction(Action action) {
    return action == Action.QUARANTINE ? Action.FAIL : action;
  }

  private void only(ConfigObject object, String path, String... keys) {
    List<String> valid = List.of(keys);
    for (String key : object.keySet()) {
      if (!valid.contains(key)) {
        quality
            .problems()
            .add(
                Section.originOf(object.get(key).origin(), path + "." + key),
                "unknown key \"" + key + "\" in a " + keys[0] + " rule",
                "Valid keys here: " + String.join(", ", valid) + ".");
      }
    }
  }

  private static Optional<Double> ratio(Section section, String key) {
    Optional<String> text = section.optionalString(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String value = text.get().trim();
    try {
      double ratio =
          value.endsWith("%")
              ? Double.parseDouble(value.substring(0, value.length() - 1)) / 100
              : Double.parseDouble(value);
      if (ratio < 0) {
        throw new NumberFormatException();
      }
      return Optional.of(ratio);
    } catch (NumberFormatException e) {
      section.problem(
          key,
          "expected a ratio such as 0.05 or 5%, found \"" + value + "\"",
          "Write a number from 0 to 1, or a percentage.");
      return Optional.empty();
    }
  }
}
