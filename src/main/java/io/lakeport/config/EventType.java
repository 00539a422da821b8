package io.lakeport.config;

/**
 * What a notification is about, each with the level a subscription compares to: a run that
 * succeeded, a run that failed for good (after its last retry), a run whose quality rules warned,
 * exports removed or archived by retention, and a scheduled slot that was skipped (missed while the
 * scheduler was down, or its execution window closed), and an output schema that changed in a way
 * the job's schema-drift policy warns about or refuses; and the scheduler's alerts ({@code alerts}
 * in a job): a run slower than its limit, a window not published by its deadline (an error: its
 * readers go without), too many failed attempts, a run that wrote far fewer rows. Spelled
 * kebab-case in config files ({@code run-failed}) and in payloads.
 */
public enum EventType {
  RUN_SUCCEEDED(Level.INFO),
  RUN_FAILED(Level.ERROR),
  QUALITY_WARNING(Level.WARNING),
  RETENTION_APPLIED(Level.INFO),
  SCHEDULE_MISSED(Level.WARNING),
  UPSTREAM_LATE(Level.WARNING),
  SCHEMA_CHANGED(Level.WARNING),
  RUN_SLOW(Level.WARNING),
  EXPORT_LATE(Level.ERROR),
  FAILURE_RATE(Level.WARNING),
  ROWS_DROPPED(Level.WARNING);

  private final Level level;

  EventType(Level level) {
    this.level = level;
  }

  public Level level() {
    return level;
  }

  /** The spelling in config files and payloads, e.g. {@code run-failed}. */
  public String text() {
    return Section.keyName(this);
  }

  /** The type spelled {@code text}, as {@link #text()} gives it. */
  public static EventType ofText(String text) {
    for (EventType type : values()) {
      if (type.text().equals(text)) {
        return type;
      }
    }
    throw new IllegalArgumentException("no event type " + text);
  }

  /** How much an event matters; a subscription at a level gets the events at it and above. */
  public enum Level {
    INFO,
    WARNING,
    ERROR;

    public String text() {
      return Section.keyName(this);
    }
  }
}
