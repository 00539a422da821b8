package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.EventType;
import java.time.Instant;
import java.util.Optional;

/**
 * An alert the scheduler raised about a job: its kind (the event it is sent as), the window it is
 * about (a slot, a run, or a period; a job has at most one alert of a kind per window), the run it
 * is about (for {@code export-late}, the id the slot's run has or will have), the run's logical
 * date, when it was opened, what it says, and once a good run cleared it, when and which run.
 */
public record Alert(
    String job,
    EventType kind,
    String window,
    Optional<String> runId,
    Optional<String> logicalDate,
    Instant openedAt,
    String detail,
    Optional<Instant> clearedAt,
    Optional<String> clearedBy) {

  public Alert {
    requireNonNull(job, "job is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(window, "window is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(logicalDate, "logicalDate is null");
    requireNonNull(openedAt, "openedAt is null");
    requireNonNull(detail, "detail is null");
    requireNonNull(clearedAt, "clearedAt is null");
    requireNonNull(clearedBy, "clearedBy is null");
  }

  /** A new alert, open. */
  public static Alert open(
      String job,
      EventType kind,
      String window,
      Optional<String> runId,
      Optional<String> logicalDate,
      Instant at,
      String detail) {
    return new Alert(
        job, kind, window, runId, logicalDate, at, detail, Optional.empty(), Optional.empty());
  }

  /** Whether no good run has cleared it yet. */
  public boolean isOpen() {
    return clearedAt.isEmpty();
  }
}
