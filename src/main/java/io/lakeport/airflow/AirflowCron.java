package io.lakeport.airflow;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.ScheduleSpec.CronTiming;
import io.lakeport.config.ScheduleSpec.Daily;
import io.lakeport.config.ScheduleSpec.Hourly;
import io.lakeport.config.ScheduleSpec.Monthly;
import io.lakeport.config.ScheduleSpec.Weekly;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A schedule's timing as the 5-field cron expression Airflow's {@code CronTriggerTimetable} takes
 * (minute hour day-of-month month day-of-week). Shorthands convert exactly. A Quartz expression
 * converts when it fires on second 0, every year, and uses only what Unix cron also has; anything
 * else (seconds, years, {@code W}, {@code #}, {@code L} in day-of-week, numeric days of the week,
 * which Quartz counts from Sunday = 1) is refused with a problem naming the job file's line.
 */
final class AirflowCron {
  private static final Pattern NUMBERS = Pattern.compile("[0-9*,/-]+");
  private static final Pattern MONTHS = Pattern.compile("[0-9A-Za-z*,/-]+");
  private static final Pattern DAY_NAMES = Pattern.compile("[A-Za-z*,/-]+");

  private AirflowCron() {}

  static String of(ScheduleSpec schedule) {
    ScheduleSpec.Timing timing = schedule.timing();
    if (timing instanceof Hourly hourly) {
      return hourly.minute() + " * * * *";
    }
    if (timing instanceof Daily daily) {
      return daily.at().getMinute() + " " + daily.at().getHour() + " * * *";
    }
    if (timing instanceof Weekly weekly) {
      return weekly.at().getMinute()
          + " "
          + weekly.at().getHour()
          + " * * "
          + weekly.day().getDisplayName(TextStyle.SHORT, Locale.ROOT).toLowerCase(Locale.ROOT);
    }
    if (timing instanceof Monthly monthly) {
      return monthly.at().getMinute()
          + " "
          + monthly.at().getHour()
          + " "
          + (monthly.day().isPresent() ? String.valueOf(monthly.day().getAsInt()) : "L")
          + " * *";
    }
    return cron(((CronTiming) timing).expression(), schedule);
  }

  private static String cron(String expression, ScheduleSpec schedule) {
    String[] fields = expression.trim().split("\\s+");
    if (fields.length == 5) {
      return String.join(" ", fields);
    }
    String second = fields[0];
    String year = fields.length == 7 ? fields[6] : "*";
    String dayOfMonth = fields[3];
    String dayOfWeek = fields[5];
    if (!second.equals("0")) {
      throw refused(
          schedule,
          expression,
          "it fires at second " + second + ", and Airflow schedules whole minutes");
    }
    if (!year.equals("*") && !year.equals("?")) {
      throw refused(
          schedule,
          expression,
          "it names years (" + year + "), which Airflow's cron has no field for");
    }
    if (!NUMBERS.matcher(fields[1]).matches()
        || !NUMBERS.matcher(fields[2]).matches()
        || !MONTHS.matcher(fields[4]).matches()) {
      throw refused(
          schedule, expression, "its minute, hour or month field has no Unix cron equivalent");
    }
    if (!dayOfMonth.equals("L")
        && !dayOfMonth.equals("?")
        && !NUMBERS.matcher(dayOfMonth).matches()) {
      throw refused(
          schedule,
          expression,
          "its day-of-month \"" + dayOfMonth + "\" has no Unix cron equivalent");
    }
    if (!dayOfWeek.equals("?") && !DAY_NAMES.matcher(dayOfWeek).matches()) {
      throw refused(
          schedule,
          expression,
          "its day-of-week \""
              + dayOfWeek
              + "\" uses Quartz numbering (1 = Sunday) or L and #, which Unix cron reads otherwise");
    }
    return String.join(
        " ",
        fields[1],
        fields[2],
        star(dayOfMonth),
        fields[4],
        star(dayOfWeek).toLowerCase(Locale.ROOT));
  }

  private static String star(String field) {
    return field.equals("?") ? "*" : field;
  }

  private static JobConfigException refused(
      ScheduleSpec schedule, String expression, String reason) {
    return new JobConfigException(
        List.of(
            new ConfigProblem(
                schedule.origin().child("cron"),
                "cron expression \"" + expression + "\" cannot be expressed in Airflow: " + reason,
                "Write it in 5 fields (minute hour day-of-month month day-of-week, e.g. \"30 2 * * mon\"), "
                    + "which Lakeport and Airflow read alike.")));
  }
}
