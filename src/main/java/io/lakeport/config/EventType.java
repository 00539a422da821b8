package io.lakeport.config;

/**
 * What a notification is about, each with the level a subscription compares to: a run that
 * succeeded, a run that failed for good (after its last retry), a run whose quality rules warned,
 * exports removed or archived by retention, and a scheduled slot that was skipped (missed while the
 * scheduler was down, or its execution window closed), and an output schema that changed in a way
 * the job's schema-drift policy warns about or refuses. Spelled kebab-case in config files ({@code
 * run-failed}) and in payloads.
 */
public enum EventType {
  RUN_SUCCEEDED(Level.INFO),
  RUN_FAILED(Level.ERROR),
  QUALITY_WARNING(Level.WARNING),
  RETENTION_APPLIED(Level.INFO),
  SCHEDULE_MISSED(Level.WARNING),
  SCHEMA_CHANGED(Level.WARNING);

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
