package io.lakeport.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.lakeport.config.ScheduleSpec.CronTiming;
import io.lakeport.config.ScheduleSpec.Daily;
import io.lakeport.config.ScheduleSpec.ExecutionWindow;
import io.lakeport.config.ScheduleSpec.Hourly;
import io.lakeport.config.ScheduleSpec.Monthly;
import io.lakeport.config.ScheduleSpec.RetrySpec;
import io.lakeport.config.ScheduleSpec.Timing;
import io.lakeport.config.ScheduleSpec.Weekly;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the {@code schedule} section, already merged over {@code lakeport.schedule-defaults}: the
 * timing ({@code cron}, or {@code every} with {@code run-time}, {@code minute}, {@code
 * day-of-week}, {@code day-of-month}), the zone, {@code enabled}, {@code execution-window}, {@code
 * misfire}, {@code run-date}, {@code retry} and {@code timeout}. Cron expressions are parsed and
 * checked by cron-utils, whose reason is passed on.
 */
final class ScheduleReader {
  static final String CRON = "cron";
  static final String EVERY = "every";
  static final String RUN_TIME = "run-time";
  static final String MINUTE = "minute";
  static final String DAY_OF_WEEK = "day-of-week";
  static final String DAY_OF_MONTH = "day-of-month";
  static final String TIME_ZONE = "time-zone";
  static final String ENABLED = "enabled";
  static final String EXECUTION_WINDOW = "execution-window";
  static final String MISFIRE = "misfire";
  static final String RUN_DATE = "run-date";
  static final String RETRY = "retry";
  static final String TIMEOUT = "timeout";
  static final String AFTER = "after";
  static final String UPSTREAM_TIMEOUT = "upstream-timeout";
  static final String[] KEYS = {
    CRON,
    EVERY,
    RUN_TIME,
    MINUTE,
    DAY_OF_WEEK,
    DAY_OF_MONTH,
    TIME_ZONE,
    ENABLED,
    EXECUTION_WINDOW,
    MISFIRE,
    RUN_DATE,
    RETRY,
    TIMEOUT,
    AFTER,
    UPSTREAM_TIMEOUT
  };

  /** How long after its slot a run waits for its upstream jobs unless the job says. */
  static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofHours(6);

  private static final String START = "start";
  private static final String END = "end";
  private static final String ATTEMPTS = "attempts";
  private static final String BACKOFF = "backoff";
  private static final String DELAY = "delay";
  private static final String MAX_DELAY = "max-delay";
  private static final String JITTER = "jitter";
  private static final String LAST = "last";
  private static final String CRON_FIX =
      "Write 5 fields (Unix: minute hour day-of-month month day-of-week, e.g. \"30 2 * * *\") "
          + "or 6 to 7 (Quartz: second minute hour day-of-month month day-of-week [year], with ? in day-of-month or "
          + "day-of-week, e.g. \"0 30 2 ? * MON\").";
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
  private static final LocalTime PLACEHOLDER_TIME = LocalTime.MIDNIGHT;
  private static final String HH_MM = "([01][0-9]|2[0-3]):[0-5][0-9]";

  /** The shorthands of {@code every}. */
  enum Frequency {
    HOURLY,
    DAILY,
    WEEKLY,
    MONTHLY
  }

  /**
   * The keys that belong to some shorthands only, and which, in key order (problems come in that
   * order).
   */
  private static final SortedMap<String, List<Frequency>> OWNERS =
      Collections.unmodifiableSortedMap(
          new TreeMap<>(
              Map.of(
                  RUN_TIME, List.of(Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY),
                  MINUTE, List.of(Frequency.HOURLY),
                  DAY_OF_WEEK, List.of(Frequency.WEEKLY),
                  DAY_OF_MONTH, List.of(Frequency.MONTHLY))));

  private final Section schedule;
  private final ZoneId jobZone;

  ScheduleReader(Section schedule, ZoneId jobZone) {
    this.schedule = schedule;
    this.jobZone = jobZone;
  }

  ScheduleSpec read() {
    Timing timing = timing();
    Optional<ExecutionWindow> window = executionWindow();
    window.ifPresent(w -> checkRunTimeInside(w, timing));
    ZoneId zone = schedule.has(TIME_ZONE) ? Site.zone(schedule, TIME_ZONE) : jobZone;
    ScheduleSpec.Status status =
        schedule.optionalBoolean(ENABLED).orElse(true)
            ? ScheduleSpec.Status.ENABLED
            : ScheduleSpec.Status.DISABLED;
    return new ScheduleSpec(
        timing,
        zone,
        status,
        window,
        schedule.enumValue(MISFIRE, ScheduleSpec.Misfire.class, ScheduleSpec.Misfire.LATEST),
        schedule.enumValue(
            RUN_DATE, ScheduleSpec.RunDate.class, ScheduleSpec.RunDate.PREVIOUS_WINDOW),
        retry(schedule.section(RETRY, ATTEMPTS, BACKOFF, DELAY, MAX_DELAY, JITTER)),
        positive(schedule, TIMEOUT),
        after(),
        positive(schedule, UPSTREAM_TIMEOUT).orElse(DEFAULT_UPSTREAM_TIMEOUT),
        schedule.origin(),
        schedule.origin(AFTER));
  }

  /**
   * The jobs whose window the job waits for; that they exist and form no cycle is checked with the
   * other jobs ({@link Dependencies}).
   */
  private List<String> after() {
    List<String> after = schedule.stringList(AFTER);
    for (String job : after) {
      if (!job.matches(JobLoader.JOB_NAME)) {
        schedule.problem(
            AFTER,
            "\"" + job + "\" is not a job name",
            "Name the jobs by their name setting, e.g. after = [orders-daily, customers-daily].");
      }
    }
    return after;
  }

  private Timing timing() {
    Optional<String> cron = schedule.optionalString(CRON);
    if (cron.isPresent() && schedule.has(EVERY)) {
      schedule.problem(
          EVERY,
          "cron and every are both set",
          "Keep one: cron = \"...\" or every = hourly|daily|weekly|monthly.");
    }
    if (cron.isPresent()) {
      OWNERS.keySet().stream()
          .filter(schedule::has)
          .forEach(
              key ->
                  schedule.problem(
                      key,
                      "applies only to every = " + names(OWNERS.get(key)) + ", not to cron",
                      "Remove it; the cron expression holds the whole timing."));
      return new CronTiming(cron.get(), cron(cron.get()));
    }
    if (!schedule.has(EVERY)) {
      schedule
          .problems()
          .add(
              schedule.origin(),
              "a schedule needs cron or every",
              "Add every = daily with run-time = \"02:30\", or cron = \"30 2 * * *\".");
      return placeholder();
    }
    return schedule
        .optionalEnum(EVERY, Frequency.class)
        .map(this::every)
        .orElseGet(ScheduleReader::placeholder);
  }

  private Timing every(Frequency frequency) {
    OWNERS.forEach(
        (key, owners) -> {
          if (schedule.has(key) && !owners.contains(frequency)) {
            schedule.problem(
                key, "applies only to every = " + names(owners), misplacedFix(key, frequency));
          }
        });
    return switch (frequency) {
      case HOURLY -> hourly(minute());
      case DAILY -> daily(runTime());
      case WEEKLY -> weekly(dayOfWeek(), runTime());
      case MONTHLY -> monthly(dayOfMonth(), runTime());
    };
  }

  private static String misplacedFix(String key, Frequency frequency) {
    if (key.equals(RUN_TIME) && frequency == Frequency.HOURLY) {
      return "Hourly schedules take minute, e.g. minute = 15 (runs at 00:15, 01:15 and so on).";
    }
    if (key.equals(MINUTE)) {
      return "Put the minute in run-time, e.g. run-time = \"02:15\".";
    }
    return "Remove it, or change every.";
  }

  private static Hourly hourly(int minute) {
    return new Hourly(minute, quartz("0 " + minute + " * * * ?"));
  }

  private static Daily daily(LocalTime at) {
    return new Daily(at, quartz("0 " + at.getMinute() + " " + at.getHour() + " * * ?"));
  }

  private static Weekly weekly(DayOfWeek day, LocalTime at) {
    String name = day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT);
    return new Weekly(day, at, quartz("0 " + at.getMinute() + " " + at.getHour() + " ? * " + name));
  }

  private static Monthly monthly(OptionalInt day, LocalTime at) {
    String field = day.isPresent() ? String.valueOf(day.getAsInt()) : "L";
    return new Monthly(
        day, at, quartz("0 " + at.getMinute() + " " + at.getHour() + " " + field + " * ?"));
  }

  /** A shorthand written in Quartz syntax; the values were checked, so the library accepts it. */
  private static Cron quartz(String expression) {
    return QUARTZ.parse(expression).validate();
  }

  private static Timing placeholder() {
    return daily(PLACEHOLDER_TIME);
  }

  private Cron cron(String expression) {
    String[] fields = expression.trim().split("\\s+");
    CronParser parser =
        fields.length == 5 ? UNIX : fields.length == 6 || fields.length == 7 ? QUARTZ : null;
    if (parser == null) {
      schedule.problem(
          CRON,
          "a cron expression has 5 fields (Unix) or 6 to 7 (Quartz, seconds first, optional year), "
              + "found "
              + fields.length
              + " in \""
              + expression
              + "\"",
          CRON_FIX);
      return placeholder().cron();
    }
    try {
      Cron cron = parser.parse(expression.trim()).validate();
      if (ExecutionTime.forCron(cron)
          .nextExecution(Instant.EPOCH.atZone(ZoneOffset.UTC))
          .isEmpty()) {
        schedule.problem(
            CRON,
            "cron expression \"" + expression + "\" never fires",
            "Check the day of month against the months (there is no 30 February) and the year.");
      }
      return cron;
    } catch (IllegalArgumentException e) {
      schedule.problem(
          CRON, "invalid cron expression \"" + expression + "\": " + reason(e), CRON_FIX);
      return placeholder().cron();
    }
  }

  /** cron-utils' reason without its generic preamble (and the expression it repeats, rewritten). */
  private static String reason(IllegalArgumentException e) {
    String reason =
        String.valueOf(e.getMessage())
            .replaceFirst("^Failed to parse cron expression\\. ", "")
            .replaceFirst("^Invalid cron expression: [^.]*\\. ", "")
            .trim();
    return reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
  }

  private int minute() {
    if (!schedule.has(MINUTE)) {
      required(MINUTE, "Add minute = 0 (0 to 59).");
      return 0;
    }
    String text = schedule.optionalString(MINUTE).orElse("");
    if (!text.matches("[0-5]?[0-9]")) {
      schedule.problem(MINUTE, "expected a minute from 0 to 59, found \"" + text + "\"", "");
      return 0;
    }
    return Integer.parseInt(text);
  }

  private LocalTime runTime() {
    if (!schedule.has(RUN_TIME)) {
      required(RUN_TIME, "Add run-time = \"02:30\" (HH:mm, 24-hour clock).");
      return PLACEHOLDER_TIME;
    }
    return timeOfDay(schedule, RUN_TIME).orElse(PLACEHOLDER_TIME);
  }

  private DayOfWeek dayOfWeek() {
    if (!schedule.has(DAY_OF_WEEK)) {
      required(DAY_OF_WEEK, "Add day-of-week = monday (monday to sunday).");
      return DayOfWeek.MONDAY;
    }
    return schedule.optionalEnum(DAY_OF_WEEK, DayOfWeek.class).orElse(DayOfWeek.MONDAY);
  }

  private OptionalInt dayOfMonth() {
    if (!schedule.has(DAY_OF_MONTH)) {
      required(DAY_OF_MONTH, "Add day-of-month = 1 (1 to 31, or last).");
      return OptionalInt.empty();
    }
    String text = schedule.optionalString(DAY_OF_MONTH).orElse("");
    if (text.equals(LAST)) {
      return OptionalInt.empty();
    }
    if (!text.matches("[0-9]{1,2}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 31) {
      schedule.problem(
          DAY_OF_MONTH,
          "expected a day from 1 to 31 or last, found \"" + text + "\"",
          "Write 1 to 31 (months without that day are skipped) or last for the month's last day.");
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(text));
  }

  private void required(String key, String fix) {
    schedule.problem(
        key, "every = " + schedule.optionalString(EVERY).orElse("") + " needs this setting", fix);
  }

  /** A local time of day written {@code "HH:mm"}; empty (and reported) when written otherwise. */
  private static Optional<LocalTime> timeOfDay(Section section, String key) {
    String text = section.optionalString(key).orElse("");
    if (!text.matches(HH_MM)) {
      section.problem(
          key,
          "expected a time of day as \"HH:mm\" (24-hour clock), found \"" + text + "\"",
          "Write " + key + " = \"02:30\", in quotes.");
      return Optional.empty();
    }
    return Optional.of(LocalTime.parse(text));
  }

  private Optional<ExecutionWindow> executionWindow() {
    if (!schedule.has(EXECUTION_WINDOW)) {
      return Optional.empty();
    }
    Section window = schedule.section(EXECUTION_WINDOW, START, END);
    for (String key : List.of(START, END)) {
      if (!window.has(key)) {
        window.problem(
            key,
            "missing required setting",
            "Add " + key + " = \"HH:mm\"; the window is { start, end }.");
      }
    }
    if (!window.has(START) || !window.has(END)) {
      return Optional.empty();
    }
    Optional<LocalTime> start = timeOfDay(window, START);
    Optional<LocalTime> end = timeOfDay(window, END);
    if (start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    if (start.equals(end)) {
      window.problem(
          END,
          "equals start, so the window has no time in it",
          "Set another end; a window may wrap midnight, e.g. start = \"22:00\", end = \"04:00\".");
    }
    return Optional.of(new ExecutionWindow(start.get(), end.get()));
  }

  /**
   * A run-time outside the window would never start: refused (cron timings may fire inside and
   * outside it).
   */
  private void checkRunTimeInside(ExecutionWindow window, Timing timing) {
    boolean daysAt =
        timing instanceof Daily || timing instanceof Weekly || timing instanceof Monthly;
    Optional<LocalTime> at =
        schedule.optionalString(RUN_TIME).filter(t -> t.matches(HH_MM)).map(LocalTime::parse);
    if (daysAt && at.isPresent() && !window.contains(at.get())) {
      schedule.problem(
          RUN_TIME,
          at.get() + " is outside the execution-window " + window + ", so no run could start",
          "Move run-time into the window, or widen the window.");
    }
  }

  private static RetrySpec retry(Section retry) {
    long attempts = retry.optionalLong(ATTEMPTS).orElse(1L);
    if (attempts < 1) {
      retry.problem(
          ATTEMPTS,
          "expected at least 1, found " + attempts,
          "attempts counts the first run too: attempts = 1 means no retry.");
    }
    Duration delay = positive(retry, DELAY).orElse(Duration.ZERO);
    Duration maxDelay = positive(retry, MAX_DELAY).orElse(delay);
    if (maxDelay.compareTo(delay) < 0) {
      retry.problem(
          MAX_DELAY,
          retry.optionalString(MAX_DELAY).orElse("")
              + " is shorter than delay "
              + retry.optionalString(DELAY).orElse(""),
          "Raise max-delay to delay or more, or lower delay.");
    }
    return new RetrySpec(
        (int) Math.max(1, Math.min(attempts, Integer.MAX_VALUE)),
        retry.enumValue(BACKOFF, ScheduleSpec.Backoff.class, ScheduleSpec.Backoff.FIXED),
        delay,
        maxDelay,
        jitter(retry));
  }

  private static double jitter(Section retry) {
    String text = retry.optionalString(JITTER).orElse("0");
    try {
      double jitter = Double.parseDouble(text);
      if (jitter >= 0 && jitter <= 1) {
        return jitter;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    retry.problem(
        JITTER,
        "expected a share from 0 to 1, found \"" + text + "\"",
        "jitter = 0.1 spreads each delay by up to 10% either way.");
    return 0;
  }

  /** A duration above zero, when set. */
  private static Optional<Duration> positive(Section section, String key) {
    Optional<Duration> duration = section.optionalDuration(key);
    if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
      section.problem(
          key,
          "expected a duration above zero, found \""
              + section.optionalString(key).orElse("")
              + "\"",
          "Use a number with a unit, e.g. 30m or 2h"
              + (key.equals(TIMEOUT) ? "; remove it for no limit." : "."));
      return Optional.empty();
    }
    return duration;
  }

  private static String names(List<Frequency> frequencies) {
    List<String> names = frequencies.stream().map(Section::keyName).toList();
    return names.size() == 1
        ? names.get(0)
        : String.join(", ", names.subList(0, names.size() - 1))
            + " or "
            + names.get(names.size() - 1);
  }
}
