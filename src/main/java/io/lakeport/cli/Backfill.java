package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs of a backfill: one per window between two dates. Each date of the range is loaded as a
 * run date; runs whose window the previous one already covered are dropped, so a weekly job
 * backfilled over a month runs once per week, in order.
 */
final class Backfill {
  /**
   * At most this many windows in one backfill: a typo in a year should not start ten thousand runs.
   */
  private static final int MAX_DAYS = 3_700;

  private Backfill() {}

  /**
   * The param sets to load: the given params alone, or once per date of the range with its
   * run_date.
   */
  static List<Map<String, String>> windows(
      Optional<LocalDate> from, Optional<LocalDate> to, Map<String, String> params) {
    if (from.isEmpty() && to.isEmpty()) {
      return List.of(params);
    }
    if (from.isEmpty() || to.isEmpty() || to.get().isBefore(from.get())) {
      throw new Failures.UserException(
          "A backfill needs --from and --to, with --to on or after --from.");
    }
    if (params.containsKey(JobLoader.RUN_DATE)) {
      throw new Failures.UserException("A backfill sets run_date itself; drop --param run_date.");
    }
    if (from.get().plusDays(MAX_DAYS).isBefore(to.get())) {
      throw new Failures.UserException(
          "A backfill covers at most " + MAX_DAYS + " days; split the range.");
    }
    List<Map<String, String>> runs = new ArrayList<>();
    for (LocalDate day = from.get(); !day.isAfter(to.get()); day = day.plusDays(1)) {
      Map<String, String> values = new LinkedHashMap<>(params);
      values.put(JobLoader.RUN_DATE, day.toString());
      runs.add(values);
    }
    return runs;
  }

  /**
   * Drops runs of a job whose window is the one of the run before (same job file, same window
   * start).
   */
  static List<JobSpec> oneRunPerWindow(List<JobSpec> specs) {
    List<JobSpec> runs = new ArrayList<>();
    for (JobSpec job : specs) {
      JobSpec last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null
          && last.file().equals(job.file())
          && windowStart(last).isPresent()
          && windowStart(last).equals(windowStart(job))) {
        continue;
      }
      runs.add(job);
    }
    return runs;
  }

  private static Optional<Object> windowStart(JobSpec job) {
    return Optional.ofNullable(job.params().get(JobLoader.WINDOW_START)).map(p -> p.value());
  }
}
