package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * One run a schedule asks for: the job, the instant it is due, the local date-time the schedule
 * names (which a DST gap moves: 02:30 on a spring-forward night is due at 03:00), and the {@code
 * run_date} it hands to the job, with the window that date stands for.
 */
public record Slot(
    String job,
    Instant instant,
    LocalDateTime localTime,
    ZoneId zone,
    LocalDate runDate,
    Window window) {
  public Slot {
    requireNonNull(job, "job is null");
    requireNonNull(instant, "instant is null");
    requireNonNull(localTime, "localTime is null");
    requireNonNull(zone, "zone is null");
    requireNonNull(runDate, "runDate is null");
    requireNonNull(window, "window is null");
  }

  /** When the slot is due, on the schedule's wall clock with its offset. */
  public ZonedDateTime dueTime() {
    return instant.atZone(zone);
  }

  /** The built-in {@code window_start} of the run. */
  public LocalDate windowStart() {
    return window.start(runDate);
  }

  /** The built-in {@code window_end} (exclusive) of the run. */
  public LocalDate windowEnd() {
    return window.end(runDate);
  }
}
