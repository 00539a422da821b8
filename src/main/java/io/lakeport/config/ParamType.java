package io.lakeport.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/** Declared type of a job parameter; values from the command line are parsed and checked by it. */
public enum ParamType {
  STRING,
  DATE,
  TIMESTAMP,
  INT,
  LONG,
  DOUBLE,
  BOOLEAN,
  STRING_LIST,
  /**
   * A relative path of one or more safe segments ({@code eu/2026}): the only kind of param that may
   * put a {@code /} into a path, and never {@code ..}, so the path stays under what the job wrote
   * before it.
   */
  PATH;

  /**
   * Parses text into the value substituted into the job: dates as ISO dates, timestamps as ISO
   * instants (a local date-time is read in the job's zone), numbers as numbers, lists as lists.
   *
   * @throws IllegalArgumentException with the expected form when the text does not parse
   */
  public Object parse(String text, ZoneId zone) {
    try {
      return switch (this) {
        case STRING -> text;
        case DATE -> LocalDate.parse(text).toString();
        case TIMESTAMP -> parseInstant(text, zone).toString();
        case INT -> Integer.parseInt(text);
        case LONG -> Long.parseLong(text);
        case DOUBLE -> Double.parseDouble(text);
        case BOOLEAN -> parseBoolean(text);
        case STRING_LIST ->
            Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        case PATH -> relativePath(text);
      };
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException("expected " + example());
    }
  }

  /** What a valid value looks like, for error messages. */
  public String example() {
    return switch (this) {
      case STRING -> "text";
      case DATE -> "a date like 2026-11-23";
      case TIMESTAMP -> "a timestamp like 2026-11-23T14:00:00Z or 2026-11-23T14:00:00";
      case INT, LONG -> "a whole number";
      case DOUBLE -> "a number like 0.9";
      case BOOLEAN -> "true or false";
      case STRING_LIST -> "comma-separated values like a,b,c";
      case PATH ->
          "a relative path like eu/2026: segments of letters, digits, '.', '_', '-', '=' and '+',"
              + " no '..'";
    };
  }

  private static String relativePath(String text) {
    for (String segment : text.split("/", -1)) {
      if (!ParamFlow.isSafeSegment(segment)) {
        throw new NumberFormatException(text);
      }
    }
    return text;
  }

  private static Instant parseInstant(String text, ZoneId zone) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(text).atZone(zone).toInstant();
    }
  }

  private static Boolean parseBoolean(String text) {
    if (List.of("true", "false").contains(text)) {
      return Boolean.valueOf(text);
    }
    throw new NumberFormatException(text);
  }
}
