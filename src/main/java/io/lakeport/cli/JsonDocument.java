package io.lakeport.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.Origin;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The JSON the commands print with {@code --output json}: ordered objects with snake_case keys (as
 * the API and the manifest), times as ISO-8601 strings with their offset, durations in
 * milliseconds, counts as numbers, and null for what is not there.
 */
final class JsonDocument {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonDocument() {}

  static String write(Object document) {
    try {
      return MAPPER.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the command's JSON output", e);
    }
  }

  /** An ordered object. */
  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  /** An ordered object of two fields. */
  static Map<String, Object> object(String key, Object value, String otherKey, Object otherValue) {
    Map<String, Object> object = object();
    object.put(key, value);
    object.put(otherKey, otherValue);
    return object;
  }

  /** {@code 2026-11-24T02:15:02.123Z}. */
  static String time(Instant time) {
    return time.toString();
  }

  static String time(Optional<Instant> time) {
    return time.map(Instant::toString).orElse(null);
  }

  /** In the time's own zone, with its offset: {@code 2026-11-24T02:15:00+01:00}. */
  static String time(ZonedDateTime time) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
  }

  static Long millis(Optional<Duration> duration) {
    return duration.map(Duration::toMillis).orElse(null);
  }

  static Double number(OptionalDouble number) {
    return number.isPresent() ? number.getAsDouble() : null;
  }

  /** A job file's problem as data: where, what, and how to fix it, and the line text prints. */
  static Map<String, Object> problem(ConfigProblem problem) {
    Origin origin = problem.origin();
    Map<String, Object> view = object();
    view.put("file", origin.file());
    view.put("line", origin.line() > 0 ? origin.line() : null);
    view.put("key", origin.path().isEmpty() ? null : origin.path());
    view.put("problem", problem.problem());
    view.put("fix", problem.fix().isEmpty() ? null : problem.fix());
    view.put("message", problem.message());
    return view;
  }
}
