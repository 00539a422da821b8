package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.ScheduleSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
   * Drops runs of a job whose window an earlier run already covers (same job file, same window
   * start and, for a job that fans out, same value).
   */
  static List<JobSpec> oneRunPerWindow(List<JobSpec> specs) {
    List<JobSpec> runs = new ArrayList<>();
    Set<List<Object>> windows = new HashSet<>();
    for (JobSpec job : specs) {
      // of a job that fans out, one run per window and value
      if (windowStart(job).isPresent()
          && !windows.add(List.of(job.file(), windowStart(job), FanOut.value(job)))) {
        continue;
      }
      runs.add(job);
    }
    return runs;
  }

  /** The run's {@code window_start}, as text; empty for a job without {@code run_date}. */
  static Optional<String> windowStart(JobSpec job) {
    return Optional.ofNullable(job.params().get(JobLoader.WINDOW_START))
        .map(p -> String.valueOf(p.value()));
  }

  /**
   * A run among {@code failed} of a job that {@code job} waits for ({@code schedule.after}) whose
   * window overlaps {@code job}'s: its window would be exported from an input that is not there.
   */
  static Optional<JobSpec> failedUpstream(JobSpec job, List<JobSpec> failed) {
    List<String> after = job.schedule().map(ScheduleSpec::after).orElse(List.of());
    Optional<String> start = windowStart(job);
    Optional<String> end = windowEnd(job);
    if (after.isEmpty() || start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    return failed.stream()
        .filter(f -> after.contains(f.name()))
        .filter(
            f ->
                windowStart(f).map(s -> s.compareTo(end.get()) < 0).orElse(true)
                    && windowEnd(f).map(e -> e.compareTo(start.get()) > 0).orElse(true))
        .findFirst();
  }

  private static Optional<String> windowEnd(JobSpec job) {
    return Optional.ofNullable(job.params().get(JobLoader.WINDOW_END))
        .map(p -> String.valueOf(p.value()));
  }
}
