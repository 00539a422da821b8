package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.AlertSpec;
import io.lakeport.config.AlertSpec.Factor;
import io.lakeport.config.AlertSpec.FailureRate;
import io.lakeport.config.AlertSpec.Limit;
import io.lakeport.config.AlertSpec.Slowness;
import io.lakeport.config.EventType;
import io.lakeport.config.JobLoader;
import io.lakeport.history.Alert;
import io.lakeport.history.AlertLog;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunLog;
import io.lakeport.history.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a job's {@code alerts} against the run history at each scheduler pass and opens what they
 * find, once per window (the history refuses a second alert of a kind for a job and window): a
 * running or just-ended run slower than its limit (window: its slot, or the run), a scheduled slot
 * not published by its deadline, also when no run started (window: the slot), more failed attempts
 * in the period than the share allows (window: the failed attempt that crossed it; no other opens
 * while it is open, so a failing streak is one alert, and after a good run a new failure must cross
 * again), and a successful run that wrote fewer rows than the one before by more than the share
 * (window: its slot, or the run). A good run clears the alerts of its kind opened before it ended:
 * a successful run within the limit, a publication of the window or a later one, any successful
 * run, one whose rows did not drop. Runs that ended more than {@link #RECENT} ago, and deadlines
 * that passed that long ago, are not looked at: a scheduler started after a long stop does not
 * raise old news.
 */
public final class AlertWatch {
  /** How far back a pass looks for runs that ended and deadlines that passed. */
  public static final Duration RECENT = Duration.ofDays(1);

  private final List<Watched> jobs;
  private final RunLog runs;
  private final AlertLog alerts;

  /**
   * The kinds and windows of the job being checked that are open, so that a window that stays over
   * its threshold pass after pass costs no write.
   */
  private final Set<String> raised = new HashSet<>();

  /** A job's alerts, with its schedule (for the deadlines of its slots); none for one by hand. */
  public record Watched(String job, AlertSpec spec, Optional<Schedule> schedule) {
    public Watched {
      requireNonNull(job, "job is null");
      requireNonNull(spec, "spec is null");
      requireNonNull(schedule, "schedule is null");
    }
  }

  public AlertWatch(List<Watched> jobs, HistoryStore store) {
    this.jobs = jobs.stream().filter(job -> job.spec().any()).toList();
    this.runs = store.runLog();
    this.alerts = store.alerts();
  }

  /** Whether any job has an alert on. */
  public boolean watching() {
    return !jobs.isEmpty();
  }

  /**
   * One pass at {@code now}: clears what good runs cleared, then opens and returns the new alerts.
   * {@code expected} says whether a slot of a job was expected to run (its schedule was on and the
   * scheduler meant to run it), for the deadlines.
   */
  public List<Alert> check(Instant now, Expected expected) {
    List<Alert> opened = new ArrayList<>();
    for (Watched job : jobs) {
      AlertSpec spec = job.spec();
      List<Alert> open = alerts.open(Optional.of(job.job()));
      raised.clear();
      open.forEach(alert -> raised.add(key(alert)));
      List<Run> succeeded =
          runs.runs(
              new RunFilter(
                  Optional.of(job.job()),
                  Optional.of(RunStatus.SUCCEEDED),
                  Math.max(spec.baselineRuns() + 1, 50)));
      spec.slowerThan().ifPresent(slower -> slow(job, slower, succeeded, open, now, opened));
      spec.rowsDropOver().ifPresent(share -> rowsDrop(job, share, succeeded, open, now, opened));
      spec.failureRateOver()
          .ifPresent(rate -> failureRate(job, rate, succeeded, open, now, opened));
      spec.lateAfter()
          .ifPresent(
              deadline ->
                  job.schedule()
                      .ifPresent(
                          schedule ->
                              late(
                                  job, deadline, schedule, succeeded, open, now, expected,
                                  opened)));
    }
    return opened;
  }

  /** Whether the scheduler expected the job's slot to be run. */
  @FunctionalInterface
  public interface Expected {
    boolean slot(String job, Instant slot);
  }

  private void slow(
      Watched job,
      Slowness slower,
      List<Run> succeeded,
      List<Alert> open,
      Instant now,
      List<Alert> opened) {
    List<Run> running =
        runs.runs(new RunFilter(Optional.of(job.job()), Optional.of(RunStatus.RUNNING), 10));
    for (Run run : running) {
      if (run.startedAt().isEmpty()) {
        continue;
      }
      Duration elapsed = Duration.between(run.startedAt().get(), now);
      limit(slower, job.spec().baselineRuns(), succeeded, run)
          .filter(limit -> elapsed.compareTo(limit.duration()) > 0)
          .ifPresent(
              limit ->
                  open(
                      run,
                      EventType.RUN_SLOW,
                      "has been running for " + text(elapsed) + ", " + limit.text(),
                      now,
                      opened));
    }
    recentlyEnded(succeeded, now)
        .ifPresent(
            last -> {
              Duration took = last.duration().orElse(Duration.ZERO);
              Optional<Baseline> limit = limit(slower, job.spec().baselineRuns(), succeeded, last);
              if (limit.isPresent() && took.compareTo(limit.get().duration()) > 0) {
                open(
                    last,
                    EventType.RUN_SLOW,
                    "ran for " + text(took) + ", " + limit.get().text(),
                    now,
                    opened);
              } else {
                clear(open, EventType.RUN_SLOW, last);
              }
            });
  }

  /**
   * The limit a run is held to: the fixed one, or the factor times the median of the successful
   * runs before it (empty with fewer than {@link AlertSpec#MINIMUM_BASELINE} of them).
   */
  private static Optional<Baseline> limit(
      Slowness slower, int baselineRuns, List<Run> succeeded, Run run) {
    if (slower instanceof Limit limit) {
      return Optional.of(
          new Baseline(limit.duration(), "over its limit of " + text(limit.duration())));
    }
    Factor factor = (Factor) slower;
    Instant before = run.startedAt().orElse(run.queuedAt());
    List<Duration> durations =
        succeeded.stream()
            .filter(r -> !r.id().equals(run.id()))
            .filter(r -> r.finishedAt().map(end -> !end.isAfter(before)).orElse(false))
            .limit(baselineRuns)
            .flatMap(r -> r.duration().stream())
            .sorted()
            .toList();
    if (durations.size() < AlertSpec.MINIMUM_BASELINE) {
      return Optional.empty();
    }
    int middle = durations.size() / 2;
    Duration median =
        durations.size() % 2 == 1
            ? durations.get(middle)
            : durations.get(middle - 1).plus(durations.get(middle)).dividedBy(2);
    Duration limit = Duration.ofMillis((long) (median.toMillis() * factor.times()));
    return Optional.of(
        new Baseline(
            limit,
            "over "
                + factor.text()
                + " the median of its last "
                + durations.size()
                + " successful runs ("
                + text(median)
                + ")"));
  }

  /** A limit and how it came about, for the alert's text. */
  private record Baseline(Duration duration, String text) {}

  private void rowsDrop(
      Watched job,
      double share,
      List<Run> succeeded,
      List<Alert> open,
      Instant now,
      List<Alert> opened) {
    Optional<Run> last = recentlyEnded(succeeded, now).filter(run -> run.rows().isPresent());
    if (last.isEmpty()) {
      return;
    }
    Optional<Run> before =
        succeeded.stream()
            .filter(run -> !run.id().equals(last.get().id()) && run.rows().isPresent())
            .filter(run -> run.finishedAt().get().isBefore(last.get().finishedAt().get()))
            .max(Comparator.comparing(run -> run.finishedAt().get()));
    if (before.isEmpty()) {
      return;
    }
    long now0 = last.get().rows().get();
    long then = before.get().rows().get();
    double dropped = then == 0 ? 0 : (double) (then - now0) / then;
    if (dropped > share) {
      open(
          last.get(),
          EventType.ROWS_DROPPED,
          String.format(
              Locale.ROOT,
              "wrote %,d rows, %s fewer than run %s (%,d), over the %s the job allows",
              now0,
              percent(dropped),
              before.get().id(),
              then,
              percent(share)),
          now,
          opened);
    } else {
      clear(open, EventType.ROWS_DROPPED, last.get());
    }
  }

  private void failureRate(
      Watched job,
      FailureRate rate,
      List<Run> succeeded,
      List<Alert> open,
      Instant now,
      List<Alert> opened) {
    succeeded.stream()
        .filter(run -> run.finishedAt().isPresent())
        .max(Comparator.comparing(run -> run.finishedAt().get()))
        .ifPresent(last -> clear(open, EventType.FAILURE_RATE, last));
    if (open.stream().anyMatch(alert -> alert.kind() == EventType.FAILURE_RATE)) {
      return;
    }
    AlertLog.Attempts attempts = alerts.attemptsSince(job.job(), now.minus(rate.over()));
    if (attempts.newestFailed().isEmpty() || attempts.failedShare() <= rate.share()) {
      return;
    }
    AlertLog.FailedAttempt crossing = attempts.newestFailed().get();
    Optional<Run> failing = runs.run(crossing.runId());
    record(
        Alert.open(
            job.job(),
            EventType.FAILURE_RATE,
            "attempt " + crossing.attempt() + " of run " + crossing.runId(),
            Optional.of(crossing.runId()),
            failing.flatMap(AlertWatch::runDate).map(LocalDate::toString),
            now,
            String.format(
                Locale.ROOT,
                "%d of the %d attempts that ended in the last %s failed (%s), over the %s the"
                    + " job allows",
                attempts.failed(),
                attempts.ended(),
                text(rate.over()),
                percent(attempts.failedShare()),
                percent(rate.share()))),
        opened);
  }

  private void late(
      Watched job,
      AlertSpec.Deadline deadline,
      Schedule schedule,
      List<Run> succeeded,
      List<Alert> open,
      Instant now,
      Expected expected,
      List<Alert> opened) {
    for (Alert alert : open) {
      if (alert.kind() == EventType.EXPORT_LATE) {
        LocalDate date = alert.logicalDate().map(LocalDate::parse).orElse(LocalDate.MIN);
        succeeded.stream()
            .filter(run -> runDate(run).map(d -> !d.isBefore(date)).orElse(false))
            .findFirst()
            .ifPresent(run -> alerts.clear(alert, run.id()));
      }
    }
    // a deadline is at most a day after its slot (a time of day) or the duration after it
    Duration lag =
        deadline instanceof AlertSpec.After after ? after.duration() : Duration.ofDays(1);
    for (Slot slot : schedule.slotsBetween(now.minus(RECENT).minus(lag), now)) {
      Instant due = deadline.of(slot.dueTime());
      if (due.isAfter(now) || !due.isAfter(now.minus(RECENT))) {
        continue;
      }
      boolean published =
          succeeded.stream()
              .anyMatch(
                  run ->
                      run.slot().map(slot.instant()::equals).orElse(false)
                          || runDate(run).map(slot.runDate()::equals).orElse(false));
      if (published || !expected.slot(job.job(), slot.instant())) {
        continue;
      }
      record(
          Alert.open(
              job.job(),
              EventType.EXPORT_LATE,
              slot.instant().toString(),
              Optional.of(Scheduler.runId(job.job(), slot.instant())),
              Optional.of(slot.runDate().toString()),
              now,
              "run_date "
                  + slot.runDate()
                  + " (due "
                  + slot.dueTime().toLocalDateTime()
                  + ") was not published by "
                  + due.atZone(slot.zone()).toLocalDateTime()
                  + " "
                  + slot.zone().getId()
                  + " (late-after = "
                  + deadline.text()
                  + ")"),
          opened);
    }
  }

  /** The newest successful run, when it ended within {@link #RECENT}. */
  private static Optional<Run> recentlyEnded(List<Run> succeeded, Instant now) {
    return succeeded.stream()
        .filter(run -> run.finishedAt().isPresent())
        .max(Comparator.comparing(run -> run.finishedAt().get()))
        .filter(run -> run.finishedAt().get().isAfter(now.minus(RECENT)));
  }

  private void open(Run run, EventType kind, String detail, Instant now, List<Alert> opened) {
    record(
        Alert.open(
            run.job(),
            kind,
            run.slot().map(Instant::toString).orElse("run " + run.id()),
            Optional.of(run.id()),
            runDate(run).map(LocalDate::toString),
            now,
            "run " + run.id() + " " + detail),
        opened);
  }

  /** Opens the alert in the history unless it is open already (then no write is tried). */
  private void record(Alert alert, List<Alert> opened) {
    if (raised.add(key(alert)) && alerts.open(alert)) {
      opened.add(alert);
    }
  }

  /** Clears the open alerts of the kind that were opened before the good run ended. */
  private void clear(List<Alert> open, EventType kind, Run good) {
    for (Alert alert : open) {
      if (alert.kind() == kind && !alert.openedAt().isAfter(good.finishedAt().orElseThrow())) {
        alerts.clear(alert, good.id());
      }
    }
  }

  private static String key(Alert alert) {
    return alert.kind().text() + " " + alert.window();
  }

  private static Optional<LocalDate> runDate(Run run) {
    try {
      return Optional.ofNullable(run.params().get(JobLoader.RUN_DATE)).map(LocalDate::parse);
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  /** A duration as alerts and skip reasons say it: 45s, 12m 05s, 6h 00m. */
  static String text(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    return seconds < 3600
        ? String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60)
        : String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
  }
}
