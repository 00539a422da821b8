package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.ScheduleSpec.Misfire;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cron syntaxes, the run_date a slot hands over, execution windows, misfires and the status seam.
 */
class ScheduleTest {
  @TempDir Path dir;

  @Test
  void quartzExpressionsHaveSecondsAndAnOptionalYear() {
    Schedule weekdays = Schedules.of(dir, "UTC", "day", "cron = \"30 15 10 ? * MON-FRI\"");
    Schedule lastDays2026 = Schedules.of(dir, "UTC", "day", "cron = \"0 0 12 L * ? 2026\"");

    assertThat(weekdays.slotsBetween(at("2026-11-20T10:15:30Z"), at("2026-11-24T23:00:00Z")))
        .extracting(s -> s.instant().toString())
        .containsExactly("2026-11-23T10:15:30Z", "2026-11-24T10:15:30Z");
    assertThat(lastDays2026.slotsBetween(at("2026-10-01T00:00:00Z"), at("2027-12-31T23:59:59Z")))
        .extracting(s -> s.instant().toString())
        .containsExactly("2026-10-31T12:00:00Z", "2026-11-30T12:00:00Z", "2026-12-31T12:00:00Z");
    assertThat(lastDays2026.nextAfter(at("2026-12-31T12:00:00Z"))).as("the year is over").isEmpty();
  }

  @Test
  void unixExpressionsHaveFiveFieldsAndSundayIsZeroOrSeven() {
    Schedule zero = Schedules.of(dir, "Europe/Berlin", "day", "cron = \"30 2 * * 0\"");
    Schedule seven = Schedules.of(dir, "Europe/Berlin", "day", "cron = \"30 2 * * 7\"");

    assertThat(
            zero.nextAfter(at("2026-11-23T00:00:00Z")).orElseThrow().dueTime().toOffsetDateTime())
        .isEqualTo(OffsetDateTime.parse("2026-11-29T02:30+01:00"));
    assertThat(seven.nextAfter(at("2026-11-23T00:00:00Z")))
        .isEqualTo(zero.nextAfter(at("2026-11-23T00:00:00Z")));
  }

  @Test
  void aDailyRunExportsThePreviousDayByDefaultAndItsOwnDayWithRunDateSlot() {
    Schedule previous =
        Schedules.of(dir, "Europe/Berlin", "day", "every = daily, run-time = \"02:00\"");
    Schedule own =
        Schedules.of(
            dir, "Europe/Berlin", "day", "every = daily, run-time = \"02:00\", run-date = slot");

    Slot slot = previous.nextAfter(at("2026-11-23T12:00:00Z")).orElseThrow();
    assertThat(slot.dueTime().toOffsetDateTime())
        .isEqualTo(OffsetDateTime.parse("2026-11-24T02:00+01:00"));
    assertThat(List.of(slot.runDate(), slot.windowStart(), slot.windowEnd()))
        .extracting(Object::toString)
        .containsExactly("2026-11-23", "2026-11-23", "2026-11-24");
    assertThat(own.nextAfter(at("2026-11-23T12:00:00Z")).orElseThrow().runDate())
        .hasToString("2026-11-24");
  }

  @Test
  void weeklyAndMonthlyJobsExportThePreviousWeekAndMonth() {
    Schedule weekly =
        Schedules.of(
            dir, "UTC", "week", "every = weekly, day-of-week = wednesday, run-time = \"06:00\"");
    Schedule monthly =
        Schedules.of(
            dir, "UTC", "month", "every = monthly, day-of-month = 1, run-time = \"03:00\"");

    Slot week = weekly.nextAfter(at("2026-11-23T00:00:00Z")).orElseThrow();
    Slot month = monthly.nextAfter(at("2026-11-23T00:00:00Z")).orElseThrow();

    assertThat(List.of(week.instant(), week.windowStart(), week.windowEnd()))
        .extracting(Object::toString)
        .containsExactly("2026-11-25T06:00:00Z", "2026-11-16", "2026-11-23");
    assertThat(List.of(month.instant(), month.windowStart(), month.windowEnd()))
        .extracting(Object::toString)
        .containsExactly("2026-12-01T03:00:00Z", "2026-11-01", "2026-12-01");
  }

  @Test
  void theRunDateIsADateInTheJobsZoneWhenTheScheduleHasAnother() {
    String job =
        "name = utc-job\ntime-zone = UTC\nsource { format = parquet, path = /in }\n"
            + "sink { format = parquet, path = /tmp/out }\n"
            + "schedule { every = daily, run-time = \"00:30\", time-zone = \"Europe/Berlin\", run-date = slot }\n";
    Schedule schedule = Schedule.of(Fixtures.job(dir, job, Map.of())).orElseThrow();

    Slot slot = schedule.nextAfter(at("2026-11-23T12:00:00Z")).orElseThrow();

    assertThat(slot.instant()).isEqualTo(at("2026-11-23T23:30:00Z"));
    assertThat(slot.localTime()).hasToString("2026-11-24T00:30");
    assertThat(slot.runDate())
        .as("the 23rd in UTC, where the job's days are")
        .hasToString("2026-11-23");
  }

  @Test
  void aRunStartsOnlyInTheExecutionWindowThatHoldsItsSlot() {
    Schedule schedule =
        Schedules.of(
            dir,
            "Europe/Berlin",
            "day",
            "every = daily, run-time = \"02:00\", execution-window { start = \"01:00\", end = \"05:00\" }");
    Slot slot = schedule.nextAfter(at("2026-11-23T12:00:00Z")).orElseThrow();

    assertThat(schedule.canStart(slot, at("2026-11-24T00:59:59Z"))).as("before the slot").isFalse();
    assertThat(schedule.canStart(slot, at("2026-11-24T01:00:00Z"))).as("due").isTrue();
    assertThat(schedule.canStart(slot, at("2026-11-24T03:59:59Z"))).as("04:59:59 local").isTrue();
    assertThat(schedule.canStart(slot, at("2026-11-24T04:00:00Z")))
        .as("05:00 local, closed")
        .isFalse();
    assertThat(schedule.canStart(slot, at("2026-11-25T01:00:00Z")))
        .as("the next day's window is not its own")
        .isFalse();
  }

  @Test
  void aWindowMayWrapMidnight() {
    Schedule schedule =
        Schedules.of(
            dir,
            "UTC",
            "day",
            "cron = \"0 30 * * * ?\", execution-window { start = \"22:00\", end = \"04:00\" }");
    Slot evening = schedule.nextAfter(at("2026-11-23T23:00:00Z")).orElseThrow();
    Slot night = schedule.nextAfter(at("2026-11-24T01:00:00Z")).orElseThrow();
    Slot noon = schedule.nextAfter(at("2026-11-24T12:00:00Z")).orElseThrow();

    assertThat(schedule.canStart(evening, at("2026-11-24T03:59:00Z")))
        .as("23:30 slot, after midnight")
        .isTrue();
    assertThat(schedule.canStart(evening, at("2026-11-24T04:00:00Z"))).isFalse();
    assertThat(schedule.canStart(night, at("2026-11-24T03:00:00Z"))).as("01:30 slot").isTrue();
    assertThat(schedule.canStart(night, at("2026-11-24T22:30:00Z")))
        .as("that night's window, not its own")
        .isFalse();
    assertThat(schedule.canStart(noon, noon.instant())).as("12:30 is outside the window").isFalse();
  }

  @Test
  void withoutAWindowARunMayStartAnyTimeAfterItsSlot() {
    Schedule schedule = Schedules.of(dir, "UTC", "day", "every = hourly, minute = 0");
    Slot slot = schedule.nextAfter(at("2026-11-23T23:30:00Z")).orElseThrow();

    assertThat(schedule.canStart(slot, at("2026-11-23T23:59:59Z"))).isFalse();
    assertThat(schedule.canStart(slot, at("2026-12-24T00:00:00Z"))).isTrue();
  }

  @Test
  void misfiresRunEveryMissedSlotTheLatestOrNone() {
    Schedule schedule = Schedules.of(dir, "UTC", "day", "every = hourly, minute = 0");
    List<Slot> missed =
        schedule.slotsBetween(at("2026-11-23T00:30:00Z"), at("2026-11-23T03:30:00Z"));

    assertThat(missed).hasSize(3);
    assertThat(Misfire.ALL.select(missed)).containsExactlyElementsOf(missed);
    assertThat(Misfire.LATEST.select(missed)).containsExactly(missed.get(2));
    assertThat(Misfire.NONE.select(missed)).isEmpty();
    assertThat(Misfire.LATEST.select(List.<Slot>of())).isEmpty();
  }

  @Test
  void describesTheScheduleInWords() {
    assertThat(
            Schedules.of(
                    dir,
                    "UTC",
                    "day",
                    "every = daily, run-time = \"02:30\", execution-window { start = \"01:00\", end = \"05:00\" }")
                .describe())
        .isEqualTo("daily at 02:30, starting between 01:00 and 05:00");
    assertThat(Schedules.of(dir, "UTC", "day", "cron = \"0 0/15 * * * ?\"").describe())
        .isEqualTo("cron \"0 0/15 * * * ?\" (every 15 minutes)");
  }

  @Test
  void theStatusComesFromTheJobFileUntilRuntimeSwitchesExist() {
    ScheduleState state = ScheduleState.fromFiles();

    assertThat(state.status(Schedules.of(dir, "UTC", "day", "every = daily, run-time = \"02:30\"")))
        .isEqualTo(ScheduleSpec.Status.ENABLED);
    assertThat(
            state.status(
                Schedules.of(
                    dir, "UTC", "day", "every = daily, run-time = \"02:30\", enabled = false")))
        .isEqualTo(ScheduleSpec.Status.DISABLED);
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }
}
