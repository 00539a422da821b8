package io.lakeport.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a job's {@code fan-out}: the parameter (one the job declares, not a built-in), and its
 * values, written as {@code values = [...]} or listed one a line in {@code from-file} (a file in
 * the job's folder; blank lines and {@code #} comments skipped). Every value must be able to name
 * one folder, since each run's export path holds it.
 */
final class FanOutReader {
  static final String KEY = "fan-out";
  private static final String PARAM = "param";
  private static final String VALUES = "values";
  private static final String FROM_FILE = "from-file";
  static final String[] KEYS = {PARAM, VALUES, FROM_FILE};

  /** More runs than this from one command is most likely a mistake in the list. */
  private static final int MAX_VALUES = 1_000;

  private FanOutReader() {}

  static Optional<FanOutSpec> read(Section top, Map<String, Param> params, Path jobFile) {
    if (!top.has(KEY)) {
      return Optional.empty();
    }
    Section section = top.section(KEY, KEYS);
    String param = section.string(PARAM);
    if (!param.isEmpty()
        && (!params.containsKey(param)
            || List.of(JobLoader.RUN_DATE, JobLoader.WINDOW_START, JobLoader.WINDOW_END)
                .contains(param))) {
      section.problem(
          PARAM,
          "\"" + param + "\" is not a parameter of the job a fan-out can set",
          "Declare it, e.g. params { "
              + param
              + " = null }, and use ${params."
              + param
              + "} in"
              + " the sink path; run_date, window_start and window_end are set by the run.");
    }
    boolean listed = section.has(VALUES);
    boolean filed = section.has(FROM_FILE);
    if (listed == filed) {
      section.problem(
          listed ? FROM_FILE : VALUES,
          listed ? "values and from-file both list the values" : "missing the values",
          "Write values = [acme, globex], or from-file = \"tenants.txt\" (one value a line, in the"
              + " job's folder).");
    }
    if (listed == filed) {
      return Optional.of(new FanOutSpec(param, List.of(), section.origin()));
    }
    List<String> values = filed ? fromFile(section, jobFile) : section.stringList(VALUES);
    String key = filed ? FROM_FILE : VALUES;
    if (values.isEmpty()) {
      section.problem(key, "no values", "List at least one value.");
    }
    if (values.size() > MAX_VALUES) {
      section.problem(
          key,
          values.size() + " values, more than " + MAX_VALUES,
          "Split the list over several jobs.");
    }
    Set<String> seen = new HashSet<>();
    for (String value : values) {
      if (!ParamFlow.isSafeSegment(value)) {
        section.problem(
            key,
            "\"" + value + "\" cannot be a fan-out value: it must be able to name one folder",
            "Use letters, digits, '.', '_', '-' and '=' (no '/', '\\\\' or '..').");
      } else if (!seen.add(value)) {
        section.problem(key, "\"" + value + "\" is listed twice", "List each value once.");
      }
    }
    return Optional.of(new FanOutSpec(param, values, section.origin()));
  }

  private static List<String> fromFile(Section section, Path jobFile) {
    String name = section.optionalString(FROM_FILE).orElse("");
    Path folder = jobFile.toAbsolutePath().normalize().getParent();
    Path file = folder.resolve(name).normalize();
    if (name.isBlank() || !file.startsWith(folder)) {
      section.problem(
          FROM_FILE,
          "\"" + name + "\" is not a file in the job's folder",
          "Name a file beside the job file or below it, e.g. from-file = \"tenants.txt\".");
      return List.of();
    }
    try {
      List<String> values = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String value = line.strip();
        if (!value.isEmpty() && !value.startsWith("#")) {
          values.add(value);
        }
      }
      return values;
    } catch (IOException e) {
      section.problem(
          FROM_FILE,
          "cannot read " + name + " (" + e.getClass().getSimpleName() + ")",
          "Put the file beside the job file, one value a line.");
      return List.of();
    }
  }
}
