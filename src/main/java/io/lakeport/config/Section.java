package io.lakeport.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Reads one object of a resolved job config: typed values with their origins, problems collected
 * instead of thrown, and unknown keys reported with the list of valid ones. On a problem a reader
 * returns a harmless placeholder so reading can go on and find the next problem.
 */
final class Section {
  private static final String MERGE = "merge of ";
  private final Config root;
  private final String path;
  private final Problems problems;
  private final Set<String> validKeys;

  /** How problems name this section's keys, when that differs from their path in {@code root}. */
  private final String display;

  Section(Config root, String path, Problems problems, String... validKeys) {
    this(root, path, path, problems, validKeys);
  }

  private Section(
      Config root, String path, String display, Problems problems, String... validKeys) {
    this.root = root;
    this.path = path;
    this.display = display;
    this.problems = problems;
    this.validKeys = new TreeSet<>(Arrays.asList(validKeys));
    reportUnknownKeys();
  }

  /**
   * A section over an object that is not at a path of its own, such as an item of a list: problems
   * name its keys {@code display.key} (e.g. {@code quality.rules[1].action}).
   */
  static Section item(ConfigObject object, String display, Problems problems) {
    return new Section(object.toConfig(), "", display, problems);
  }

  Section section(String key, String... keys) {
    if (has(key) && root.getValue(full(key)).valueType() != ConfigValueType.OBJECT) {
      problem(key, "expected an object { ... }, found " + typeName(key), "");
      return new Section(root.withoutPath(full(key)), full(key), problems, keys);
    }
    return new Section(root, full(key), problems, keys);
  }

  String path() {
    return path;
  }

  Problems problems() {
    return problems;
  }

  boolean has(String key) {
    String full = full(key);
    return !full.isEmpty() && root.hasPathOrNull(full) && !root.getIsNull(full);
  }

  /** Where this section starts (its first line in the job file). */
  Origin origin() {
    ConfigValue value = path.isEmpty() ? null : raw(path);
    return value == null
        ? new Origin(fileOf(root.origin()), -1, path)
        : originOf(value.origin(), path);
  }

  /**
   * Where a key is set; for a key that only has its default (from reference.conf), the section in
   * the job file that would hold it.
   */
  Origin origin(String key) {
    ConfigValue value = raw(full(key));
    String shown = display.equals(path) ? full(key) : display + "." + key;
    return value != null && value.origin().resource() == null
        ? originOf(value.origin(), shown)
        : origin().child(key);
  }

  /** The value at a path, null values included (the typed getters refuse those). */
  private ConfigValue raw(String fullPath) {
    ConfigValue current = root.root();
    for (String part : ConfigUtil.splitPath(fullPath)) {
      if (!(current instanceof ConfigObject object) || !object.containsKey(part)) {
        return null;
      }
      current = object.get(part);
    }
    return current;
  }

  void problem(String key, String problem, String fix) {
    problems.add(origin(key), problem, fix);
  }

  String string(String key) {
    if (!has(key)) {
      problem(key, "missing required setting", "Add " + key + " = <value>.");
      return "";
    }
    return optionalString(key).orElse("");
  }

  Optional<String> optionalString(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    ConfigValue value = root.getValue(full(key));
    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
      problem(key, "expected a single value, found " + typeName(key), "");
      return Optional.empty();
    }
    return Optional.of(String.valueOf(value.unwrapped()));
  }

  List<String> stringList(String key) {
    if (!has(key)) {
      return List.of();
    }
    ConfigValue value = root.getValue(full(key));
    if (value.valueType() != ConfigValueType.LIST) {
      problem(
          key, "expected a list [ ... ], found " + typeName(key), "Write " + key + " = [a, b].");
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (ConfigValue item : root.getList(full(key))) {
      if (item.valueType() == ConfigValueType.OBJECT || item.valueType() == ConfigValueType.LIST) {
        problem(
            key,
            "expected a list of plain values, found a nested "
                + item.valueType().name().toLowerCase(Locale.ROOT),
            "");
      } else {
        values.add(String.valueOf(item.unwrapped()));
      }
    }
    return List.copyOf(values);
  }

  /**
   * A HOCON boolean: {@code true}/{@code false} (and the library's {@code yes}/{@code no}, {@code
   * on}/{@code off}).
   */
  Optional<Boolean> optionalBoolean(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    try {
      return Optional.of(root.getBoolean(full(key)));
    } catch (ConfigException.WrongType e) {
      problem(key, "expected true or false, found " + describe(key), "");
      return Optional.empty();
    }
  }

  private String describe(String key) {
    ConfigValue value = root.getValue(full(key));
    return value.valueType() == ConfigValueType.STRING
            || value.valueType() == ConfigValueType.NUMBER
        ? "\"" + value.unwrapped() + "\""
        : typeName(key);
  }

  Optional<Long> optionalLong(String key) {
    return optionalString(key).flatMap(text -> parseLong(key, text));
  }

  /**
   * A size in bytes: a whole number or HOCON's units ({@code 128MB}, {@code 1GiB}, {@code 512k}).
   */
  Optional<Long> optionalBytes(String key) {
    return typed(
        key,
        Config::getBytes,
        "a size such as 128MB or 1GB",
        "Use a whole number of bytes or a number with a unit: B, kB, MB, GB (powers of 1000) or KiB, MiB, GiB.");
  }

  /**
   * A duration: HOCON's {@code 2 hours}, {@code 30m}, {@code 1d}; a bare number is milliseconds.
   */
  Optional<Duration> optionalDuration(String key) {
    return typed(
        key,
        Config::getDuration,
        "a duration such as 2 hours or 30m",
        "Use a number with a unit: s, m, h or d (or seconds, minutes, hours, days).");
  }

  /** A value HOCON itself converts (sizes, durations), with a problem naming what was expected. */
  private <T> Optional<T> typed(
      String key, BiFunction<Config, String, T> getter, String expected, String fix) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(getter.apply(root, full(key)));
    } catch (ConfigException e) {
      problem(key, "expected " + expected + ", found \"" + text.get() + "\"", fix);
      return Optional.empty();
    }
  }

  private Optional<Long> parseLong(String key, String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      problem(key, "expected a whole number, found \"" + text + "\"", "");
      return Optional.empty();
    }
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E placeholder) {
    return has(key) ? optionalEnum(key, type).orElse(placeholder) : missing(key, type, placeholder);
  }

  private <E extends Enum<E>> E missing(String key, Class<E> type, E placeholder) {
    problem(
        key,
        "missing required setting",
        "Add " + key + " = <" + String.join("|", names(type)) + ">.");
    return placeholder;
  }

  <E extends Enum<E>> Optional<E> optionalEnum(String key, Class<E> type) {
    return optionalString(key).flatMap(text -> parseEnum(key, text, type));
  }

  <E extends Enum<E>> Optional<E> parseEnum(String key, String text, Class<E> type) {
    for (E constant : type.getEnumConstants()) {
      if (keyName(constant).equals(text)) {
        return Optional.of(constant);
      }
    }
    List<String> names = names(type);
    problem(
        key,
        "unknown value \"" + text + "\"",
        Problems.suggestion(text, names) + "Expected one of: " + String.join(", ", names) + ".");
    return Optional.empty();
  }

  /** The kebab-case spelling of an enum constant, as written in job files. */
  static String keyName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static <E extends Enum<E>> List<String> names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(Section::keyName)
        .collect(Collectors.toList());
  }

  /** The entries of an object, in the order they are written in the file. */
  Map<String, ConfigValue> entries(String key) {
    if (!has(key)) {
      return Map.of();
    }
    if (root.getValue(full(key)).valueType() != ConfigValueType.OBJECT) {
      problem(key, "expected an object { name = value }, found " + typeName(key), "");
      return Map.of();
    }
    ConfigObject object = root.getObject(full(key));
    Map<String, ConfigValue> ordered = new LinkedHashMap<>();
    object.entrySet().stream()
        .sorted(
            Comparator.comparingInt(
                    (Map.Entry<String, ConfigValue> e) -> e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }

  ConfigValue value(String key) {
    return raw(full(key));
  }

  String full(String key) {
    if (key.isEmpty()) {
      return path;
    }
    String quoted = ConfigUtil.joinPath(key);
    return path.isEmpty() ? quoted : path + "." + quoted;
  }

  Config root() {
    return root;
  }

  private String typeName(String key) {
    return root.getValue(full(key)).valueType().name().toLowerCase(Locale.ROOT);
  }

  private void reportUnknownKeys() {
    ConfigValue value = path.isEmpty() ? root.root() : raw(path);
    if (validKeys.isEmpty() || !(value instanceof ConfigObject object)) {
      return;
    }
    for (String key : object.keySet()) {
      if (!validKeys.contains(key)) {
        problems.add(
            origin(key),
            "unknown key \"" + key + "\"",
            Problems.suggestion(key, validKeys)
                + "Valid keys: "
                + String.join(", ", validKeys)
                + ".");
      }
    }
  }

  static Origin originOf(ConfigOrigin origin, String path) {
    String description = origin.description();
    if (origin.filename() == null && description.startsWith(MERGE)) {
      String first = description.substring(MERGE.length()).split(",")[0];
      int colon = first.lastIndexOf(": ");
      if (colon > 0 && first.substring(colon + 2).matches("\\d+")) {
        return new Origin(
            first.substring(0, colon), Integer.parseInt(first.substring(colon + 2)), path);
      }
    }
    return new Origin(fileOf(origin), origin.lineNumber(), path);
  }

  static String fileOf(ConfigOrigin origin) {
    if (origin.filename() != null) {
      return origin.filename();
    }
    String description = origin.description();
    int colon = description.lastIndexOf(": ");
    return colon > 0 && description.endsWith(String.valueOf(origin.lineNumber()))
        ? description.substring(0, colon)
        : description;
  }
}
