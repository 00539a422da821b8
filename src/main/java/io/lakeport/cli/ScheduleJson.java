package io.lakeport.cli;

import io.lakeport.config.JobSpec;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code lakeport schedule list --output json}: every schedule (a job's export, its retention) or
 * manual job, with what the text shows as data, and the job files that do not load.
 */
final class ScheduleJson {
  private ScheduleJson() {}

  static Map<String, Object> document(
      JobCatalog catalog, Function<String, Optional<Boolean>> overrides, Instant now) {
    List<Map<String, Object>> schedules = new ArrayList<>();
    List<Map<String, Object>> invalid = new ArrayList<>();
    for (JobCatalog.Entry entry : catalog.entries()) {
      if (entry.job().isEmpty()) {
        invalid.add(
            JsonDocument.object(
                "file",
                entry.file().toString(),
                "problems",
                entry.problems().stream().map(JsonDocument::problem).toList()));
        continue;
      }
      JobSpec job = entry.job().get();
      schedules.add(
          Schedule.of(job)
              .map(s -> scheduled(job, s, "export", overrides, now))
              .orElseGet(() -> manual(job)));
      Schedule.retention(job)
          .ifPresent(s -> schedules.add(scheduled(job, s, "retention", overrides, now)));
    }
    Map<String, Object> document = JsonDocument.object();
    document.put("now", JsonDocument.time(now));
    document.put("schedules", schedules);
    document.put("invalid_files", invalid);
    return document;
  }

  private static Map<String, Object> scheduled(
      JobSpec job,
      Schedule schedule,
      String kind,
      Function<String, Optional<Boolean>> overrides,
      Instant now) {
    boolean inFile = schedule.spec().status() == ScheduleSpec.Status.ENABLED;
    Optional<Boolean> override = overrides.apply(schedule.job());
    List<Slot> next = ScheduleListCommand.nextSlots(schedule, now);
    Map<String, Object> view = common(job, schedule.job(), kind, true);
    view.put("cron", schedule.spec().timing().cron().asString());
    view.put("description", schedule.describe());
    view.put("zone", schedule.zone().getId());
    view.put("enabled", override.orElse(inFile));
    view.put("enabled_in_file", inFile);
    view.put("enabled_at_runtime", override.orElse(null));
    view.put("next_runs", next.stream().map(slot -> JsonDocument.time(slot.dueTime())).toList());
    view.put(
        "next_run_in_ms",
        next.isEmpty() ? null : Duration.between(now, next.get(0).instant()).toMillis());
    view.put("after", schedule.spec().after());
    return view;
  }

  /** A job without a schedule: run by hand (or by Airflow) only. */
  private static Map<String, Object> manual(JobSpec job) {
    Map<String, Object> view = common(job, job.name(), "export", false);
    view.put("cron", null);
    view.put("description", null);
    view.put("zone", null);
    view.put("enabled", null);
    view.put("enabled_in_file", null);
    view.put("enabled_at_runtime", null);
    view.put("next_runs", List.of());
    view.put("next_run_in_ms", null);
    view.put("after", List.of());
    return view;
  }

  private static Map<String, Object> common(
      JobSpec job, String name, String kind, boolean scheduled) {
    Map<String, Object> view = JsonDocument.object();
    view.put("job", name);
    view.put("file", job.file().toString());
    view.put("kind", kind);
    view.put("scheduled", scheduled);
    return view;
  }
}
