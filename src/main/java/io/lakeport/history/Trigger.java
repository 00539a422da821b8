package io.lakeport.history;

import java.util.Arrays;
import java.util.Locale;

/**
 * What made a run: the schedule (for a slot), a person ({@code lakeport run}), a backfill ({@code
 * lakeport run --from --to}), or a retry of a run that failed.
 */
public enum Trigger {
  SCHEDULE,
  MANUAL,
  BACKFILL,
  RETRY;

  /** How the history and the CLI spell it: {@code manual}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Trigger of(String text) {
    return Arrays.stream(values())
        .filter(t -> t.text().equals(text))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("unknown trigger in the run history: " + text));
  }
}
