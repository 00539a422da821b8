package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.TestClock;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scheduler's loop on a simulated clock, over two months around both DST changes of Berlin, New
 * York and Sydney: at ticks of 1 to 97 minutes it asks for the slots since the last tick. What it
 * is handed must be exactly what a plain java.time watcher of the wall clock expects, minute by
 * minute: a named local time fires at the first real minute the wall clock shows it or has jumped
 * past it, once. Each slot's run_date and window are checked against plain date arithmetic too.
 */
class ScheduleSimulationTest {
  private static final List<String> ZONES =
      List.of("Europe/Berlin", "America/New_York", "Australia/Sydney");
  private static final List<List<LocalDate>> PERIODS =
      List.of(
          List.of(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-04-30")),
          List.of(LocalDate.parse("2026-09-15"), LocalDate.parse("2026-11-15")));

  @TempDir Path dir;

  /**
   * A schedule, the local times it names (in plain java.time), and the run_date a slot due on a
   * local date gets.
   */
  record Kind(
      String name,
      String window,
      String block,
      Predicate<LocalDateTime> names,
      UnaryOperator<LocalDate> runDate,
      Predicate<LocalDate> dayWithSlot,
      int slotsPerDay) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Kind> KINDS =
      List.of(
          new Kind(
              "daily 02:30",
              "day",
              "every = daily, run-time = \"02:30\"",
              t -> t.getHour() == 2 && t.getMinute() == 30,
              due -> due.minusDays(1),
              d -> true,
              1),
          new Kind(
              "daily 01:30",
              "day",
              "every = daily, run-time = \"01:30\"",
              t -> t.getHour() == 1 && t.getMinute() == 30,
              due -> due.minusDays(1),
              d -> true,
              1),
          new Kind(
              "hourly :15, run-date slot",
              "day",
              "every = hourly, minute = 15, run-date = slot",
              t -> t.getMinute() == 15,
              due -> due,
              d -> true,
              24),
          new Kind(
              "weekly Sunday 02:30",
              "week",
              "every = weekly, day-of-week = sunday, run-time = \"02:30\"",
              t -> t.getDayOfWeek() == DayOfWeek.SUNDAY && t.getHour() == 2 && t.getMinute() == 30,
              due -> due.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1),
              d -> d.getDayOfWeek() == DayOfWeek.SUNDAY,
              1),
          new Kind(
              "monthly last day 02:30",
              "month",
              "every = monthly, day-of-month = last, run-time = \"02:30\"",
              t ->
                  t.toLocalDate().plusDays(1).getDayOfMonth() == 1
                      && t.getHour() == 2
                      && t.getMinute() == 30,
              due -> due.withDayOfMonth(1).minusMonths(1),
              d -> d.plusDays(1).getDayOfMonth() == 1,
              1));

  static Stream<Arguments> cases() {
    return ZONES.stream()
        .flatMap(
            zone ->
                PERIODS.stream()
                    .flatMap(
                        period ->
                            KINDS.stream()
                                .map(
                                    kind ->
                                        Arguments.of(zone, period.get(0), period.get(1), kind))));
  }

  @ParameterizedTest(name = "{0} {1} to {2}: {3}")
  @MethodSource("cases")
  void everySlotFiresExactlyOnceWithItsWindow(
      String zoneName, LocalDate first, LocalDate last, Kind kind) {
    ZoneId zone = ZoneId.of(zoneName);
    Instant start = first.atStartOfDay(zone).toInstant();
    Instant end = last.plusDays(1).atStartOfDay(zone).toInstant();
    Schedule schedule = Schedules.of(dir, zoneName, kind.window(), kind.block());

    List<String> expected = watchWallClock(zone, start, end, kind);
    List<String> fired = tick(schedule, start, end, zoneName.hashCode());

    long days = first.datesUntil(last.plusDays(1)).filter(kind.dayWithSlot()).count();
    assertThat(expected).as("the watcher itself").hasSize((int) days * kind.slotsPerDay());
    assertThat(fired).containsExactlyElementsOf(expected);
  }

  /** The scheduler's side: ticks of random length, each taking the slots due since the last. */
  private static List<String> tick(Schedule schedule, Instant start, Instant end, long seed) {
    TestClock clock = new TestClock(start);
    SplittableRandom steps = new SplittableRandom(seed);
    List<String> fired = new ArrayList<>();
    Instant previous = clock.instant();
    while (previous.isBefore(end)) {
      clock.advance(Duration.ofMinutes(1 + steps.nextInt(97)));
      Instant now = clock.instant().isAfter(end) ? end : clock.instant();
      schedule
          .slotsBetween(previous, now)
          .forEach(
              slot ->
                  fired.add(
                      describe(
                          slot.instant(),
                          slot.localTime(),
                          slot.runDate(),
                          slot.windowStart().toString() + ".." + slot.windowEnd())));
      previous = now;
    }
    return fired;
  }

  /**
   * The expected side, without cron-utils or Schedule: walk real time minute by minute, and fire a
   * named local time at the first minute the wall clock has reached or jumped past it, once.
   * Several named times passed in one jump (a DST gap) make one run, named by the first of them.
   */
  private static List<String> watchWallClock(ZoneId zone, Instant start, Instant end, Kind kind) {
    List<String> expected = new ArrayList<>();
    Set<LocalDateTime> fired = new HashSet<>();
    LocalDateTime shown = LocalDateTime.ofInstant(start, zone);
    for (Instant minute = start.plusSeconds(60);
        !minute.isAfter(end);
        minute = minute.plusSeconds(60)) {
      LocalDateTime now = LocalDateTime.ofInstant(minute, zone);
      LocalDateTime firstPassed = null;
      for (LocalDateTime passed = shown.plusMinutes(1);
          !passed.isAfter(now);
          passed = passed.plusMinutes(1)) {
        if (kind.names().test(passed) && fired.add(passed) && firstPassed == null) {
          firstPassed = passed;
        }
      }
      if (firstPassed != null) {
        LocalDate runDate = kind.runDate().apply(now.toLocalDate());
        expected.add(
            describe(
                minute, firstPassed, runDate, runDate + ".." + windowEnd(kind.window(), runDate)));
      }
      shown = now;
    }
    return expected;
  }

  private static LocalDate windowEnd(String window, LocalDate start) {
    return switch (window) {
      case "day" -> start.plusDays(1);
      case "week" -> start.plusWeeks(1);
      default -> start.plusMonths(1);
    };
  }

  private static String describe(
      Instant due, LocalDateTime local, LocalDate runDate, String window) {
    return local + " due " + due + " run_date " + runDate + " window " + window;
  }
}
