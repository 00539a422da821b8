package io.lakeport.config;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Format option values that Spark would take but that are surely mistakes, or that Spark would only
 * refuse with a stack trace once the run reads or writes: a delimiter of several characters (Spark
 * writes it whole, e.g. {@code ;;}), a quote or escape longer than one character, an unknown
 * charset, a flag that is not true or false. Checked by their Spark names, so source and sink share
 * the rules.
 */
final class OptionValues {
  /** Spark's one-character escapes for a delimiter: a tab written as {@code \t}, {@code \u0001}. */
  private static final Pattern ESCAPED_CHARACTER =
      Pattern.compile("\\\\([tnrbf\\\\\"']|u[0-9a-fA-F]{4})");

  private static final Set<String> ONE_CHARACTER = Set.of("quote", "escape", "comment");
  private static final Set<String> FLAGS =
      Set.of(
          "header",
          "inferSchema",
          "multiLine",
          "quoteAll",
          "escapeQuotes",
          "ignoreNullFields",
          "primitivesAsString",
          "mergeSchema",
          "recursiveFileLookup",
          "excludeAttribute",
          "ignoreSurroundingSpaces",
          "overwriteSchema",
          "declaration");

  private OptionValues() {}

  /**
   * Reports a problem at {@code options.key} when {@code value} cannot be what the job means.
   * Excel's flags are checked by {@link ExcelOptions}, defaults included.
   */
  static void check(Section options, String format, String key, String sparkName, String value) {
    if (sparkName.equals("sep")) {
      delimiter(options, key, value);
    } else if (ONE_CHARACTER.contains(sparkName) && value.length() > 1) {
      options.problem(
          key,
          "must be one character, found \"" + value + "\" (" + value.length() + " characters)",
          "Write one character; an empty value turns it off.");
    } else if (sparkName.equals("encoding") && !supported(value)) {
      options.problem(
          key,
          "unknown charset \"" + value + "\"",
          "Use a charset Java knows, e.g. UTF-8, ISO-8859-1, windows-1252 or UTF-16.");
    } else if (sparkName.equals("lineSep") && value.isEmpty()) {
      options.problem(
          key, "a line separator cannot be empty", "Remove it for \"\\n\", or write \"\\r\\n\".");
    } else if (FLAGS.contains(sparkName)
        && !format.equals("excel")
        && !value.equalsIgnoreCase("true")
        && !value.equalsIgnoreCase("false")) {
      options.problem(key, "expected true or false, found \"" + value + "\"", "");
    }
  }

  private static void delimiter(Section options, String key, String value) {
    if (value.length() == 1 || ESCAPED_CHARACTER.matcher(value).matches()) {
      return;
    }
    options.problem(
        key,
        value.isEmpty()
            ? "a delimiter cannot be empty"
            : "a delimiter is one character, found \""
                + value
                + "\" ("
                + value.length()
                + " characters)",
        "Write one character, e.g. " + key + " = \";\", or \"\\t\" for a tab.");
  }

  private static boolean supported(String charset) {
    try {
      return Charset.isSupported(charset);
    } catch (IllegalCharsetNameException e) {
      return false;
    }
  }
}
