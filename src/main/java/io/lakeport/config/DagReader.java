package io.lakeport.config;

import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a job's {@code airflow} block (over {@code lakeport.job-defaults.airflow}). Unknown keys, a
 * callback that is not a dotted Python name, a tag Airflow would refuse and an outlet that is not a
 * URI are reported with the job file's line.
 */
final class DagReader {
  static final String START_DATE = "start-date";
  static final String OWNER = "owner";
  static final String POOL = "pool";
  static final String POOL_SLOTS = "pool-slots";
  static final String QUEUE = "queue";
  static final String TAGS = "tags";
  static final String ON_FAILURE_CALLBACK = "on-failure-callback";
  static final String ON_SUCCESS_CALLBACK = "on-success-callback";
  static final String ON_RETRY_CALLBACK = "on-retry-callback";
  static final String OUTLETS = "outlets";
  static final String[] KEYS = {
    START_DATE,
    OWNER,
    POOL,
    POOL_SLOTS,
    QUEUE,
    TAGS,
    ON_FAILURE_CALLBACK,
    ON_SUCCESS_CALLBACK,
    ON_RETRY_CALLBACK,
    OUTLETS
  };

  /** Airflow's longest tag (its TAG_MAX_LEN). */
  private static final int MAX_TAG_LENGTH = 100;

  private static final Pattern PYTHON_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");

  private final Section airflow;

  DagReader(Section airflow) {
    this.airflow = airflow;
  }

  /** The block, with {@code exportLocation} as the outlet when the job names none. */
  DagSpec read(Optional<String> exportLocation) {
    return new DagSpec(
        startDate(),
        nonBlank(OWNER).orElse("lakeport"),
        nonBlank(POOL),
        poolSlots(),
        nonBlank(QUEUE),
        tags(),
        callbacks(ON_FAILURE_CALLBACK),
        callbacks(ON_SUCCESS_CALLBACK),
        callbacks(ON_RETRY_CALLBACK),
        airflow.has(OUTLETS) ? outlets() : exportLocation.map(List::of).orElse(List.of()));
  }

  private Optional<LocalDate> startDate() {
    Optional<String> text = airflow.optionalString(START_DATE);
    try {
      return text.map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      airflow.problem(
          START_DATE,
          "expected a date such as 2026-12-01, found \"" + text.orElse("") + "\"",
          "Write start-date = \"2026-12-01\" (the first day Airflow schedules).");
      return Optional.empty();
    }
  }

  private Optional<String> nonBlank(String key) {
    Optional<String> value = airflow.optionalString(key);
    if (value.isPresent() && value.get().isBlank()) {
      airflow.problem(key, "is empty", "Write a name, or null for none.");
      return Optional.empty();
    }
    return value;
  }

  private int poolSlots() {
    long slots = airflow.optionalLong(POOL_SLOTS).orElse(1L);
    if (slots < 1 || slots > 10_000) {
      airflow.problem(
          POOL_SLOTS,
          "expected a number of slots from 1 to 10000, found " + slots,
          "Write e.g. pool-slots = 2.");
      return 1;
    }
    return (int) slots;
  }

  private List<String> tags() {
    List<String> tags = airflow.stringList(TAGS);
    for (String tag : tags) {
      if (tag.isBlank() || tag.length() > MAX_TAG_LENGTH) {
        airflow.problem(
            TAGS,
            "tag \"" + tag + "\" is empty or longer than " + MAX_TAG_LENGTH + " characters",
            "Airflow refuses such tags; write a shorter one.");
      }
    }
    return tags;
  }

  /** A callback or a list of them, each a dotted Python name: module path, then the function. */
  private List<String> callbacks(String key) {
    if (!airflow.has(key)) {
      return List.of();
    }
    List<String> names =
        airflow.value(key).valueType() == ConfigValueType.LIST
            ? airflow.stringList(key)
            : airflow.optionalString(key).map(List::of).orElse(List.of());
    List<String> valid = new ArrayList<>();
    for (String name : names) {
      if (PYTHON_NAME.matcher(name).matches()) {
        valid.add(name);
      } else {
        airflow.problem(
            key,
            "\"" + name + "\" is not a dotted Python name (module, then function)",
            "Write e.g. "
                + key
                + " = \"teamhooks.alerts.page_oncall\": a function taking Airflow's context,"
                + " importable on the Airflow workers.");
      }
    }
    return List.copyOf(valid);
  }

  private List<String> outlets() {
    List<String> outlets = airflow.stringList(OUTLETS);
    for (String outlet : outlets) {
      Optional<String> problem = uriProblem(outlet);
      problem.ifPresent(
          p ->
              airflow.problem(
                  OUTLETS,
                  "\"" + Secrets.maskUrl(outlet) + "\" " + p,
                  "Write the URI downstream DAGs wait for, e.g. \"s3://bucket/exports/orders\","
                      + " or outlets = [] for none."));
    }
    return outlets;
  }

  /** What Airflow would refuse in a Dataset/Asset URI. */
  private static Optional<String> uriProblem(String outlet) {
    if (outlet.isBlank()) {
      return Optional.of("is empty");
    }
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(outlet)) {
      return Optional.of("holds characters other than ASCII, which Airflow refuses in a URI");
    }
    try {
      URI uri = new URI(outlet);
      if ("airflow".equalsIgnoreCase(uri.getScheme())) {
        return Optional.of("uses the scheme airflow, which Airflow reserves");
      }
      if (uri.getRawUserInfo() != null) {
        return Optional.of("holds a user or password, which Airflow refuses in a URI");
      }
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of("is not a URI (" + e.getReason() + ")");
    }
  }
}
