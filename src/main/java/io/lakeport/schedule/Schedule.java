package io.lakeport.schedule;

import static java.util.Objects.requireNonNull;

import com.cronutils.model.time.ExecutionTime;
import io.lakeport.config.JobSpec;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.ScheduleSpec.ExecutionWindow;
import io.lakeport.config.Window;
import io.lakeport.history.JobNames;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job's schedule: its slots between two instants, the next one, and the rules for running them.
 *
 * <p>Slots are local times on the schedule's wall clock, each due exactly once across DST. A local
 * time that does not exist (spring forward: 02:30 in Berlin on 29 March 2026) is due when the gap
 * ends (03:00), and slots that a gap sends to the same instant run once, as the first of them. A
 * local time that occurs twice (fall back: 02:30 on 25 October 2026) is due at its first occurrence
 * only. cron-utils alone skips the times in a gap and repeats sub-daily times in an overlap, so it
 * matches cron fields against the wall clock only, and the rule above turns wall times into
 * instants.
 */
public final class Schedule {
  private final String job;
  private final ScheduleSpec spec;
  private final ZoneId jobZone;
  private final Window jobWindow;
  private final ExecutionTime executionTime;

  private Schedule(String job, ScheduleSpec spec, ZoneId jobZone, Window jobWindow) {
    this.job = requireNonNull(job, "job is null");
    this.spec = requireNonNull(spec, "spec is null");
    this.jobZone = requireNonNull(jobZone, "jobZone is null");
    this.jobWindow = requireNonNull(jobWindow, "jobWindow is null");
    this.executionTime = ExecutionTime.forCron(spec.timing().cron());
  }

  /** The job's schedule; empty for a job without one (run by hand only). */
  public static Optional<Schedule> of(JobSpec job) {
    return job.schedule().map(spec -> new Schedule(job.name(), spec, job.timeZone(), job.window()));
  }

  /**
   * The schedule of the job's retention ({@code retention.schedule}), under the name {@link
   * JobNames#retentionOf}; empty when retention runs by hand only.
   */
  public static Optional<Schedule> retention(JobSpec job) {
    return job.retention()
        .schedule()
        .map(
            spec ->
                new Schedule(JobNames.retentionOf(job.name()), spec, job.timeZone(), job.window()));
  }

  /** The first slot due after {@code instant}; empty when the schedule never fires again. */
  public Optional<Slot> nextAfter(Instant instant) {
    Optional<LocalDateTime> local = nextLocal(LocalDateTime.ofInstant(instant, spec.timeZone()));
    while (local.isPresent() && !due(local.get(), spec.timeZone()).isAfter(instant)) {
      local = nextLocal(local.get());
    }
    return local.map(time -> slot(time, due(time, spec.timeZone())));
  }

  /**
   * The slots due after {@code fromExclusive} up to and including {@code toInclusive}, in order.
   */
  public List<Slot> slotsBetween(Instant fromExclusive, Instant toInclusive) {
    List<Slot> slots = new ArrayList<>();
    Optional<Slot> next = nextAfter(fromExclusive);
    while (next.isPresent() && !next.get().instant().isAfter(toInclusive)) {
      slots.add(next.get());
      next = nextAfter(next.get().instant());
    }
    return List.copyOf(slots);
  }

  /**
   * Whether a run of {@code slot} may start at {@code now}: not before the slot is due, and, when
   * the schedule has an execution window, inside the window that holds the slot's local time,
   * before it closes. A slot outside the window never starts; one that could not start in time (the
   * scheduler was down, or earlier runs were still going) is skipped.
   */
  public boolean canStart(Slot slot, Instant now) {
    if (now.isBefore(slot.instant())) {
      return false;
    }
    return spec.executionWindow()
        .map(
            executionWindow ->
                closing(executionWindow, slot.localTime()).filter(now::isBefore).isPresent())
        .orElse(true);
  }

  /** The schedule in words, e.g. {@code daily at 02:30, starting between 01:00 and 05:00}. */
  public String describe() {
    return spec.timing().describe()
        + spec.executionWindow()
            .map(
                executionWindow ->
                    ", starting between "
                        + executionWindow.start()
                        + " and "
                        + executionWindow.end())
            .orElse("");
  }

  /** How failed runs are retried. */
  public RetryPolicy retry() {
    return new RetryPolicy(spec.retry());
  }

  /** The zone of the schedule's local times. */
  public ZoneId zone() {
    return spec.timeZone();
  }

  public String job() {
    return job;
  }

  public ScheduleSpec spec() {
    return spec;
  }

  /** The job's window: the period each run covers. */
  public Window window() {
    return jobWindow;
  }

  /**
   * The next local time after {@code local} that the cron fields name, on a clock without DST (UTC
   * stands in for the wall clock), so that no local time is skipped or doubled.
   */
  private Optional<LocalDateTime> nextLocal(LocalDateTime local) {
    return executionTime
        .nextExecution(local.atZone(ZoneOffset.UTC))
        .map(ZonedDateTime::toLocalDateTime);
  }

  /**
   * The DST rule, for slots and execution windows alike: a local time is due at the end of a gap it
   * falls in, else at its first occurrence.
   */
  private static Instant due(LocalDateTime local, ZoneId zone) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    return transition != null && transition.isGap()
        ? transition.getInstant()
        : ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
  }

  private Slot slot(LocalDateTime local, Instant due) {
    return new Slot(job, due, local, spec.timeZone(), runDate(due), jobWindow);
  }

  /** The run_date of a slot due at {@code due}: a date in the job's zone, where its windows are. */
  private LocalDate runDate(Instant due) {
    LocalDate date = due.atZone(jobZone).toLocalDate();
    return switch (spec.runDate()) {
      case SLOT -> date;
      case PREVIOUS_WINDOW -> jobWindow.start(jobWindow.start(date).minusDays(1));
    };
  }

  /**
   * When the window holding {@code local} closes; empty when {@code local} lies outside the window.
   */
  private Optional<Instant> closing(ExecutionWindow window, LocalDateTime local) {
    LocalTime time = local.toLocalTime();
    if (!window.contains(time)) {
      return Optional.empty();
    }
    boolean closesNextDay = window.wrapsMidnight() && !time.isBefore(window.start());
    LocalDate day = closesNextDay ? local.toLocalDate().plusDays(1) : local.toLocalDate();
    return Optional.of(due(day.atTime(window.end()), spec.timeZone()));
  }
}
