package io.lakeport.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Param;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunRequest;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.run.RunId;
import io.lakeport.schedule.ScheduleState;
import io.lakeport.schedule.ScheduledJob;
import io.lakeport.schedule.Slot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/jobs}: the scheduler's jobs, scheduled ones with their schedule in words, next runs,
 * whether they are enabled (and by what), and every job with its last and current run; switching a
 * scheduled job on or off (an override in the run history, as {@code lakeport schedule
 * enable|disable}); and queueing a run now with params, of any job, scheduled or not (as {@code
 * lakeport run-now}: checked as a run would check them, started at the scheduler's next pass), or a
 * backfill of a date range, one run per window (as {@code lakeport run --from --to}).
 */
final class JobsResource {
  static final String ENABLED_EXAMPLE = "{\"enabled\": false}";
  static final String RUN_EXAMPLE = RunNowBody.EXAMPLE;
  private static final int NEXT_RUNS = 3;

  /**
   * How far back the latest slot is looked for (a monthly schedule's slot is at most 31 days old).
   */
  private static final Duration LOOK_BACK = Duration.ofDays(35);

  /** How many of a job's newest runs are read to find its last ended and its current run. */
  private static final int RECENT = 20;

  private final HistoryStore store;
  private final Map<String, Known> jobs = new LinkedHashMap<>();
  private final JobLoader loader;
  private final Clock clock;

  /** A job the scheduler knows: by its schedule, or (without one) only for runs queued by hand. */
  private record Known(String name, Path file, Optional<ScheduledJob> scheduled) {}

  /**
   * The resource of the scheduler's {@code scheduled} jobs and of its jobs without a schedule
   * ({@code unscheduled}, by name and job file), listed in that order.
   */
  JobsResource(
      HistoryStore store,
      List<ScheduledJob> scheduled,
      Map<String, Path> unscheduled,
      JobLoader loader,
      Clock clock) {
    this.store = store;
    scheduled.forEach(
        job -> jobs.put(job.job(), new Known(job.job(), job.file(), Optional.of(job))));
    unscheduled.forEach((name, file) -> jobs.put(name, new Known(name, file, Optional.empty())));
    this.loader = loader;
    this.clock = clock;
  }

  Map<String, Object> list() {
    Instant now = clock.instant();
    Map<String, Object> view = Json.object();
    view.put("now", Json.time(now));
    view.put("jobs", jobs.values().stream().map(job -> view(job, now)).toList());
    return view;
  }

  Map<String, Object> job(String name) {
    return view(find(name), clock.instant());
  }

  /**
   * Sets or clears the scheduled job's enabled override from {@code {"enabled": true|false|null}}.
   */
  Map<String, Object> setEnabled(String name, JsonNode body) {
    Known known = find(name);
    ScheduledJob job = known.scheduled().orElseThrow(() -> ApiErrors.noSchedule(name));
    JsonNode enabled = body.path("enabled");
    if (!body.isObject() || body.size() != 1 || !(enabled.isBoolean() || enabled.isNull())) {
      throw ApiErrors.badRequest(
          "Expected {\"enabled\": true}, {\"enabled\": false}, or {\"enabled\": null} to let"
              + " the job file decide again. Send e.g. "
              + ENABLED_EXAMPLE
              + ".");
    }
    if (enabled.isNull()) {
      store.schedules().clearOverride(job.job());
    } else if (enabled.booleanValue()) {
      store.schedules().enable(job.job());
    } else {
      store.schedules().disable(job.job());
    }
    return view(known, clock.instant());
  }

  /** The runs one run-now queued: one, or one per window of a backfill's range. */
  record Queued(List<Run> runs, boolean backfill) {
    Queued {
      runs = List.copyOf(runs);
    }
  }

  /**
   * Queues a manual run of the job with the body's params ({@code {"params": {...}}}, or no body),
   * after checking them as the run will; without {@code run_date} a scheduled job gets its latest
   * slot's. A job without a schedule takes its params as given. With {@code from} and {@code to},
   * queues a backfill: one run per window from the one holding {@code from} to the one holding
   * {@code to}, oldest first, as {@code lakeport run --from --to} runs them. Every run is checked
   * before any is queued.
   */
  Queued runNow(String name, JsonNode given) {
    Known job = find(name);
    RunNowBody body = RunNowBody.of(given);
    Instant now = clock.instant();
    List<Map<String, String>> runs = new ArrayList<>();
    Optional<Object> lastWindow = Optional.empty();
    for (Map<String, String> params : body.days()) {
      if (!params.containsKey(JobLoader.RUN_DATE)) {
        job.scheduled()
            .flatMap(scheduled -> latestSlot(scheduled, now))
            .ifPresent(slot -> params.put(JobLoader.RUN_DATE, slot.runDate().toString()));
      }
      // checked as the run will load them; a retention job's run loads its export job's file
      Optional<Object> window = windowStart(check(job, params, body));
      if (body.backfill() && window.isPresent() && window.equals(lastWindow)) {
        continue; // the run before covers this day's window
      }
      lastWindow = window;
      runs.add(params);
    }
    Trigger trigger = body.backfill() ? Trigger.BACKFILL : Trigger.MANUAL;
    List<Run> queued = new ArrayList<>();
    for (Map<String, String> params : runs) {
      String runId = RunId.next(clock);
      queued.add(
          store
              .runLog()
              .enqueue(new RunRequest(runId, job.name(), Optional.empty(), trigger, params))
              .orElseThrow(
                  () ->
                      ApiErrors.conflict(
                          "Run id " + runId + " is taken; send the request again.")));
    }
    return new Queued(queued, body.backfill());
  }

  private JobSpec check(Known job, Map<String, String> params, RunNowBody body) {
    try {
      return loader.load(job.file(), params, JobLoader.Mode.RUN);
    } catch (JobConfigException e) {
      String day =
          body.backfill()
              ? "run_date " + params.get(JobLoader.RUN_DATE) + " of the backfill: "
              : "";
      throw ApiErrors.badRequest(
          String.join(
              "\n", e.problems().stream().map(p -> day + forTheBody(p.message())).toList()));
    }
  }

  private static Optional<Object> windowStart(JobSpec job) {
    return Optional.ofNullable(job.params().get(JobLoader.WINDOW_START)).map(Param::value);
  }

  /**
   * The loader's message about a param, worded for the request body: the loader names params as the
   * command line gives them ({@code --param name=value}); here they are the body's.
   */
  private static String forTheBody(String message) {
    return message
        .replaceFirst("^--param: ", "params.")
        .replaceAll("Pass --param (\\w+)=<([^>]*)>", "Send {\"params\": {\"$1\": \"<$2>\"}}");
  }

  private Known find(String name) {
    Known job = jobs.get(name);
    if (job == null) {
      throw ApiErrors.noJob(name, List.copyOf(jobs.keySet()));
    }
    return job;
  }

  /**
   * The job as the API shows it; a job without a schedule has {@code null} for its schedule, zone,
   * switch and countdown, and no next runs.
   */
  private Map<String, Object> view(Known job, Instant now) {
    Map<String, Object> view = Json.object();
    view.put("name", job.name());
    view.put("file", job.file().toString());
    job.scheduled()
        .ifPresentOrElse(
            scheduled -> putSchedule(view, scheduled, now),
            () -> {
              view.put("schedule", null);
              view.put("time_zone", null);
              view.put("enabled", null);
              view.put("enabled_by", null);
              view.put("next_runs", List.of());
              view.put("seconds_until_next", null);
              view.put("after", List.of());
            });
    putRuns(view, job.name(), now);
    view.put(
        "open_alerts",
        store.alerts().open(Optional.of(job.name())).stream().map(RunViews::alert).toList());
    return view;
  }

  private void putSchedule(Map<String, Object> view, ScheduledJob job, Instant now) {
    Optional<Boolean> override = store.schedules().enabledOverride(job.job());
    boolean enabled = ScheduleState.of(store).status(job.schedule()) == ScheduleSpec.Status.ENABLED;
    List<Slot> next = next(job, now);
    view.put("schedule", job.schedule().describe());
    view.put("time_zone", job.schedule().zone().getId());
    view.put("enabled", enabled);
    view.put("enabled_by", override.isPresent() ? "override" : "job file");
    view.put("next_runs", enabled ? next.stream().map(JobsResource::slot).toList() : List.of());
    view.put("after", job.schedule().spec().after());
    view.put(
        "seconds_until_next",
        enabled && !next.isEmpty()
            ? Json.seconds(Duration.between(now, next.get(0).instant()))
            : null);
  }

  /** The job's last ended run, its running run and how many of its runs are queued. */
  private void putRuns(Map<String, Object> view, String job, Instant now) {
    List<Run> recent =
        store.runLog().runs(new RunFilter(Optional.of(job), Optional.empty(), RECENT));
    view.put(
        "last_run",
        recent.stream()
            .filter(r -> r.status().ended())
            .findFirst()
            .map(r -> RunViews.summary(r, now))
            .orElse(null));
    view.put(
        "current_run",
        recent.stream()
            .filter(r -> r.status() == RunStatus.RUNNING)
            .findFirst()
            .map(r -> RunViews.summary(r, now))
            .orElse(null));
    view.put("queued_runs", recent.stream().filter(r -> r.status() == RunStatus.QUEUED).count());
  }

  private static List<Slot> next(ScheduledJob job, Instant now) {
    List<Slot> slots = new ArrayList<>();
    Optional<Slot> slot = job.schedule().nextAfter(now);
    while (slot.isPresent() && slots.size() < NEXT_RUNS) {
      slots.add(slot.get());
      slot = job.schedule().nextAfter(slot.get().instant());
    }
    return slots;
  }

  private static Map<String, Object> slot(Slot slot) {
    Map<String, Object> view = Json.object();
    view.put("at", Json.time(slot.instant()));
    view.put("local", slot.dueTime().toOffsetDateTime().toString());
    view.put(JobLoader.RUN_DATE, slot.runDate().toString());
    return view;
  }

  private static Optional<Slot> latestSlot(ScheduledJob job, Instant now) {
    List<Slot> slots = job.schedule().slotsBetween(now.minus(LOOK_BACK), now);
    return slots.isEmpty() ? Optional.empty() : Optional.of(slots.get(slots.size() - 1));
  }
}
