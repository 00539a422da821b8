package io.lakeport.schedule;

import io.lakeport.Fixtures;
import java.nio.file.Path;
import java.util.Map;

/** Schedules for tests, loaded from a job file the way the scheduler will load them. */
final class Schedules {
  private Schedules() {}

  /**
   * A job in {@code zone} covering {@code window} (day, week, month) with this schedule block's
   * body.
   */
  static Schedule of(Path dir, String zone, String window, String schedule) {
    String job =
        "name = job\ntime-zone = \""
            + zone
            + "\"\nwindow = "
            + window
            + "\n"
            + "source { format = parquet, path = /in }\nsink { format = parquet, path = /tmp/out }\n"
            + "schedule {\n"
            + schedule
            + "\n}\n";
    return Schedule.of(Fixtures.job(dir, job, Map.of())).orElseThrow();
  }
}
