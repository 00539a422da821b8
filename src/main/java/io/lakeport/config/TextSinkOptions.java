package io.lakeport.config;

import java.util.List;
import java.util.Map;

/**
 * Refuses CSV and JSON sink options whose files could not have their rows counted exactly (a run
 * compares the rows in its files with the rows it wrote before it publishes): a line separator that
 * is empty, that Spark would refuse at write time, or that shares characters with the CSV
 * delimiter, quote or escape, or with JSON's own syntax.
 */
final class TextSinkOptions {
  static final String LINE_SEPARATOR = "line-separator";

  /** Writer option names (Spark's) and Spark's defaults for writing CSV. */
  private static final String LINE_SEP = "lineSep";

  private static final List<String> CSV_SPECIALS = List.of("sep", "quote", "escape");

  private static final Map<String, String> CSV_DEFAULTS =
      Map.of("sep", ",", "quote", "\"", "escape", "\\");

  /** Characters of JSON's syntax that a record counter looks for between records. */
  private static final String JSON_SYNTAX = "{}[]\"";

  /** The most characters Spark's CSV writer takes as a line separator. */
  private static final int MAX_CSV_LINE_SEPARATOR = 2;

  private TextSinkOptions() {}

  /**
   * Checks the options of a sink of {@code format} ({@code written} in the job, {@code defaults}
   * from the site settings, {@code translated} the merged writer options), reporting on the line
   * that set each value.
   */
  static void check(
      SinkFormat format, Section written, Section defaults, Map<String, String> translated) {
    String separator = translated.get(LINE_SEP);
    if (separator == null || (format != SinkFormat.CSV && format != SinkFormat.JSON)) {
      return;
    }
    Section from = written.has(LINE_SEPARATOR) ? written : defaults;
    if (separator.isEmpty()) {
      return; // OptionValues refuses an empty separator, for sources as well
    } else if (format == SinkFormat.CSV) {
      checkCsv(from, separator, translated);
    } else if (separator.chars().anyMatch(c -> JSON_SYNTAX.indexOf(c) >= 0)) {
      from.problem(
          LINE_SEPARATOR,
          "the JSON line separator "
              + shown(separator)
              + " holds JSON syntax ({, }, [, ] or \"), so records could not be told apart",
          "Use \"\\n\", \"\\r\\n\" or another separator.");
    }
  }

  private static void checkCsv(Section from, String separator, Map<String, String> translated) {
    if (separator.length() > MAX_CSV_LINE_SEPARATOR) {
      from.problem(
          LINE_SEPARATOR,
          "a CSV line separator is one or two characters, found " + shown(separator),
          "Use \"\\n\", \"\\r\\n\" or \"\\r\".");
      return;
    }
    CSV_SPECIALS.forEach(
        option -> {
          String value = translated.getOrDefault(option, CSV_DEFAULTS.get(option));
          if (!value.isEmpty() && separator.chars().anyMatch(c -> value.indexOf(c) >= 0)) {
            from.problem(
                LINE_SEPARATOR,
                "the line separator "
                    + shown(separator)
                    + " shares a character with the "
                    + (option.equals("sep") ? "delimiter" : option)
                    + " "
                    + shown(value)
                    + ", so rows could not be told apart",
                "Use \"\\n\", \"\\r\\n\" or \"\\r\".");
          }
        });
  }

  /** A value in quotes with its line breaks and tabs written as escapes, as in HOCON. */
  private static String shown(String value) {
    return "\""
        + value
            .replace("\\", "\\\\")
            .replace("\"", "\\\"")
            .replace("\r", "\\r")
            .replace("\n", "\\n")
            .replace("\t", "\\t")
        + "\"";
  }
}
