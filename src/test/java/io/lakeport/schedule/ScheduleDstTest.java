package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The DST rule: every local time a schedule names fires exactly once. A time that does not exist
 * (spring forward) fires when the gap ends; a time that occurs twice (fall back) fires at its first
 * occurrence. 2026 transitions: Berlin 29 March and 25 October, New York 8 March and 1 November
 * (the hour from 02:00 and from 01:00), Sydney 4 October (spring) and 5 April (autumn).
 */
class ScheduleDstTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {2} on {1}")
  @CsvSource({
    "Europe/Berlin,    2026-03-29, 02:30, 2026-03-29T03:00+02:00",
    "Europe/Berlin,    2026-10-25, 02:30, 2026-10-25T02:30+02:00",
    "America/New_York, 2026-03-08, 02:30, 2026-03-08T03:00-04:00",
    "America/New_York, 2026-11-01, 01:30, 2026-11-01T01:30-04:00",
    "Australia/Sydney, 2026-10-04, 02:30, 2026-10-04T03:00+11:00",
    "Australia/Sydney, 2026-04-05, 02:30, 2026-04-05T02:30+11:00",
  })
  void aDailyRunFiresOnceOnATransitionDay(
      String zone, LocalDate day, String time, String expected) {
    Schedule daily = Schedules.of(dir, zone, "day", "every = daily, run-time = \"" + time + "\"");
    ZoneId zoneId = ZoneId.of(zone);

    var slots =
        daily.slotsBetween(
            day.atStartOfDay(zoneId).toInstant(), day.plusDays(1).atStartOfDay(zoneId).toInstant());

    assertThat(slots)
        .extracting(s -> s.dueTime().toOffsetDateTime().toString())
        .containsExactly(expected);
    assertThat(slots.get(0).localTime()).isEqualTo(LocalDateTime.of(day, LocalTime.parse(time)));
    assertThat(slots.get(0).runDate()).isEqualTo(day.minusDays(1));
  }

  @Test
  void slotsInAGapRunOnceWhenItEnds() {
    Schedule quarterly = Schedules.of(dir, "Europe/Berlin", "day", "cron = \"0 0/15 * * * ?\"");

    var slots =
        quarterly.slotsBetween(
            berlin("2026-03-29T01:30+01:00").toInstant(),
            berlin("2026-03-29T03:30+02:00").toInstant());

    assertThat(slots)
        .extracting(
            s ->
                s.localTime().toLocalTime()
                    + " due "
                    + s.dueTime().toOffsetDateTime().toLocalTime()
                    + s.dueTime().getOffset())
        .containsExactly(
            "01:45 due 01:45+01:00",
            "02:00 due 03:00+02:00",
            "03:15 due 03:15+02:00",
            "03:30 due 03:30+02:00");
  }

  @Test
  void repeatedTimesRunAtTheirFirstOccurrenceOnly() {
    Schedule quarterly = Schedules.of(dir, "Europe/Berlin", "day", "cron = \"0 0/15 * * * ?\"");

    var slots =
        quarterly.slotsBetween(
            berlin("2026-10-25T01:45+02:00").toInstant(),
            berlin("2026-10-25T03:15+01:00").toInstant());

    assertThat(slots)
        .extracting(s -> s.dueTime().toOffsetDateTime().toString())
        .containsExactly(
            "2026-10-25T02:00+02:00",
            "2026-10-25T02:15+02:00",
            "2026-10-25T02:30+02:00",
            "2026-10-25T02:45+02:00",
            "2026-10-25T03:00+01:00",
            "2026-10-25T03:15+01:00");
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "Europe/Berlin,    2026-03-29",
    "Europe/Berlin,    2026-10-25",
    "America/New_York, 2026-03-08",
    "America/New_York, 2026-11-01",
    "Australia/Sydney, 2026-10-04",
    "Australia/Sydney, 2026-04-05",
  })
  void anHourlyScheduleRuns24TimesOnA23And25HourDay(String zone, LocalDate day) {
    Schedule hourly = Schedules.of(dir, zone, "day", "every = hourly, minute = 15");
    ZoneId zoneId = ZoneId.of(zone);

    var slots =
        hourly.slotsBetween(
            day.atStartOfDay(zoneId).toInstant(), day.plusDays(1).atStartOfDay(zoneId).toInstant());

    assertThat(slots)
        .extracting(s -> s.localTime().getHour())
        .containsExactlyElementsOf(IntStream.range(0, 24).boxed().toList());
    assertThat(slots).extracting(Slot::instant).doesNotHaveDuplicates().isSorted();
  }

  private static ZonedDateTime berlin(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).atZoneSameInstant(ZoneId.of("Europe/Berlin"));
  }
}
