package io.lakeport.config;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * The period a run covers, derived from its run date. The built-in params {@code window_start} (the
 * first day) and {@code window_end} (the day after the last, exclusive, as in Airflow's data
 * interval) come from here, so jobs need no date arithmetic.
 */
public enum Window {
  DAY,
  WEEK,
  MONTH;

  public LocalDate start(LocalDate runDate) {
    return switch (this) {
      case DAY -> runDate;
      case WEEK -> runDate.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> runDate.withDayOfMonth(1);
    };
  }

  public LocalDate end(LocalDate runDate) {
    LocalDate start = start(runDate);
    return switch (this) {
      case DAY -> start.plusDays(1);
      case WEEK -> start.plusWeeks(1);
      case MONTH -> start.plusMonths(1);
    };
  }
}
