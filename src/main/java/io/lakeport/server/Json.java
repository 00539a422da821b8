package io.lakeport.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * JSON in and out of the API: objects are ordered maps, times ISO-8601 UTC strings, absent values
 * null.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a JSON answer", e);
    }
  }

  /** The request body as JSON; an empty body is a missing node. */
  static JsonNode read(byte[] body, String example) {
    if (body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw ApiErrors.badRequest(
          "The request body is not JSON ("
              + e.getOriginalMessage()
              + "). Send e.g. "
              + example
              + ".");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the request body", e);
    }
  }

  /** An ordered object. */
  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  static String time(Instant instant) {
    return instant.toString();
  }

  static String time(Optional<Instant> instant) {
    return instant.map(Instant::toString).orElse(null);
  }

  static Double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
