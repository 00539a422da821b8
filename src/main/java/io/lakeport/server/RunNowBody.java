package io.lakeport.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.config.JobLoader;
import io.lakeport.config.Secrets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /api/jobs/{name}/runs}, checked: the run's params, and optionally a
 * backfill range ({@code from} and {@code to}, both dates, as {@code lakeport run --from --to}),
 * which sets each run's {@code run_date} itself. Every mistake is a bad request that says what to
 * send instead.
 */
record RunNowBody(Map<String, String> params, Optional<LocalDate> from, Optional<LocalDate> to) {
  static final String EXAMPLE = "{\"params\": {\"run_date\": \"2026-11-23\"}}";
  static final String RANGE_EXAMPLE =
      "{\"params\": {\"region\": \"eu\"}, \"from\": \"2026-11-01\", \"to\": \"2026-11-07\"}";
  static final String PARAMS = "params";
  static final String FROM = "from";
  static final String TO = "to";

  /**
   * At most this many days in one backfill, as on the command line: a typo in a year should not
   * queue ten thousand runs.
   */
  static final int MAX_DAYS = 3_700;

  private static final Set<String> FIELDS = Set.of(PARAMS, FROM, TO);

  RunNowBody {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
  }

  /** Whether the body asks for a backfill (one run per window of a date range). */
  boolean backfill() {
    return from.isPresent();
  }

  /** The body as sent; no body is a run with no params. */
  static RunNowBody of(JsonNode body) {
    if (body.isMissingNode()) {
      return new RunNowBody(Map.of(), Optional.empty(), Optional.empty());
    }
    if (!body.isObject()) {
      throw ApiErrors.badRequest("Expected a JSON object. Send e.g. " + EXAMPLE + ", or no body.");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw ApiErrors.badRequest(
            "Unknown field \""
                + field
                + "\". Expected: params, from, to. Send e.g. "
                + EXAMPLE
                + ", or "
                + RANGE_EXAMPLE
                + " for a backfill.");
      }
    }
    Map<String, String> params = params(body.path(PARAMS));
    params.keySet().stream()
        .filter(Secrets::isSecretName)
        .findFirst()
        .ifPresent(
            param -> {
              throw ApiErrors.badRequest(
                  "Run-now keeps params in the run history, so "
                      + param
                      + " cannot be one; give"
                      + " secrets to the job through the environment or a file.");
            });
    Optional<LocalDate> from = date(body, FROM);
    Optional<LocalDate> to = date(body, TO);
    checkRange(from, to, params);
    return new RunNowBody(params, from, to);
  }

  /** The param sets to queue: the params alone, or once per day of the range with its run_date. */
  List<Map<String, String>> days() {
    if (!backfill()) {
      return List.of(new LinkedHashMap<>(params));
    }
    List<Map<String, String>> days = new ArrayList<>();
    for (LocalDate day = from.get(); !day.isAfter(to.get()); day = day.plusDays(1)) {
      Map<String, String> values = new LinkedHashMap<>(params);
      values.put(JobLoader.RUN_DATE, day.toString());
      days.add(values);
    }
    return days;
  }

  private static void checkRange(
      Optional<LocalDate> from, Optional<LocalDate> to, Map<String, String> params) {
    if (from.isEmpty() && to.isEmpty()) {
      return;
    }
    if (from.isEmpty() || to.isEmpty()) {
      throw ApiErrors.badRequest(
          "A backfill needs both from and to (dates, to on or after from). Send e.g. "
              + RANGE_EXAMPLE
              + ".");
    }
    if (to.get().isBefore(from.get())) {
      throw ApiErrors.badRequest(
          "to ("
              + to.get()
              + ") is before from ("
              + from.get()
              + "): a backfill runs from the earlier date to the later one.");
    }
    if (params.containsKey(JobLoader.RUN_DATE)) {
      throw ApiErrors.badRequest(
          "A backfill sets run_date itself (each day from "
              + from.get()
              + " to "
              + to.get()
              + "); drop params.run_date.");
    }
    if (from.get().plusDays(MAX_DAYS).isBefore(to.get())) {
      throw ApiErrors.badRequest(
          "A backfill covers at most " + MAX_DAYS + " days; split the range.");
    }
  }

  private static Optional<LocalDate> date(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    try {
      if (value.isTextual()) {
        return Optional.of(LocalDate.parse(value.asText()));
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw ApiErrors.badRequest(
        field
            + ": expected a date like 2026-11-23, found "
            + value
            + ". Send e.g. "
            + RANGE_EXAMPLE
            + ".");
  }

  private static Map<String, String> params(JsonNode given) {
    if (!given.isMissingNode() && !given.isObject()) {
      throw ApiErrors.badRequest(
          "params: expected an object of names and values. Send e.g. " + EXAMPLE + ".");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : given.properties()) {
      JsonNode value = entry.getValue();
      if (!value.isValueNode() || value.isNull()) {
        throw ApiErrors.badRequest(
            "params."
                + entry.getKey()
                + ": expected a string, number or boolean. Send e.g. "
                + EXAMPLE
                + ".");
      }
      params.put(entry.getKey(), value.asText());
    }
    return params;
  }
}
