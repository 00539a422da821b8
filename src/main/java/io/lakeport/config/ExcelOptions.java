package io.lakeport.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Excel sink's writer options and Excel's limits, shared by the job loader (which checks them
 * and always passes every option, defaults from {@code reference.conf} included), the workbook
 * writer and the file inspector, so each option name is spelled once.
 */
public final class ExcelOptions {
  /** Writer option: name of the one sheet of each workbook. */
  public static final String SHEET_NAME = "sheetName";

  /** Writer option: {@code true} when the first row holds the column names. */
  public static final String HEADER = "header";

  /** Writer option: {@code true} to keep the header row in view while scrolling. */
  public static final String FREEZE_HEADER = "freezeHeader";

  /** Writer option: {@code true} for a filter drop-down on each header cell. */
  public static final String AUTO_FILTER = "autoFilter";

  /** Writer option: Excel number format of date cells. */
  public static final String DATE_FORMAT = "dateFormat";

  /** Writer option: Excel number format of timestamp cells. */
  public static final String TIMESTAMP_FORMAT = "timestampFormat";

  /** Rows of one Excel sheet, a header row included. */
  public static final long MAX_ROWS = 1_048_576;

  /** Job-file spelling of each option, and the writer option it becomes. */
  static final Map<String, String> NAMES =
      Map.of(
          "sheet-name", SHEET_NAME,
          "header", HEADER,
          "freeze-header", FREEZE_HEADER,
          "auto-filter", AUTO_FILTER,
          "date-format", DATE_FORMAT,
          "timestamp-format", TIMESTAMP_FORMAT);

  private static final int MAX_SHEET_NAME = 31;
  private static final String SHEET_NAME_FORBIDDEN = "\\/?*[]:";
  private static final List<String> FLAGS = List.of("header", "freeze-header", "auto-filter");

  private ExcelOptions() {}

  /** Rows below the header a sheet can hold. */
  public static long maxDataRows(boolean header) {
    return header ? MAX_ROWS - 1 : MAX_ROWS;
  }

  /**
   * Checks the options of an Excel sink ({@code options} as written in the job, {@code defaults}
   * from the site settings), its compression and its file size, reporting on the line that set each
   * value.
   */
  static void check(
      Section sink,
      Section options,
      Section defaults,
      Map<String, String> translated,
      Optional<String> compression,
      Optional<Long> maxRecords) {
    Section sheetFrom = options.has("sheet-name") ? options : defaults;
    String sheet = translated.getOrDefault(SHEET_NAME, "");
    sheetNameProblem(sheet)
        .ifPresent(
            reason ->
                sheetFrom.problem(
                    "sheet-name",
                    "invalid Excel sheet name \"" + sheet + "\": " + reason,
                    "Choose another name, e.g. sheet-name = export."));
    for (String flag : FLAGS) {
      String value = translated.getOrDefault(NAMES.get(flag), "");
      if (!value.equals("true") && !value.equals("false")) {
        (options.has(flag) ? options : defaults)
            .problem(flag, "expected true or false, found \"" + value + "\"", "");
      }
    }
    if (compression.isPresent()) {
      sink.problem(
          Endpoints.COMPRESSION,
          "xlsx workbooks are zip-compressed already",
          "Remove compression for format excel.");
    }
    long max = maxDataRows(!"false".equals(translated.get(HEADER)));
    maxRecords
        .filter(n -> n > max)
        .ifPresent(
            n ->
                sink.problem(
                    Endpoints.MAX_RECORDS_PER_FILE,
                    "an Excel sheet holds at most "
                        + max
                        + " rows"
                        + (max < MAX_ROWS ? " below the header" : "")
                        + ", found "
                        + n,
                    "Set max-records-per-file = " + max + " or less."));
  }

  /** Excel's rules for sheet names (it refuses to open a workbook that breaks them). */
  private static Optional<String> sheetNameProblem(String name) {
    if (name.isEmpty() || name.length() > MAX_SHEET_NAME) {
      return Optional.of(
          "it has " + name.length() + " characters, Excel allows 1 to " + MAX_SHEET_NAME);
    }
    for (char c : name.toCharArray()) {
      if (SHEET_NAME_FORBIDDEN.indexOf(c) >= 0) {
        return Optional.of(
            "Excel does not allow '" + c + "' in sheet names (nor any of \\ / ? * [ ] :)");
      }
    }
    if (name.startsWith("'") || name.endsWith("'")) {
      return Optional.of("Excel does not allow an apostrophe at its start or end");
    }
    if (name.equalsIgnoreCase("history")) {
      return Optional.of("Excel reserves that name");
    }
    return Optional.empty();
  }
}
