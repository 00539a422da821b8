package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.failure.ExitCode;
import io.lakeport.history.HistoryException;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.JobNames;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.Slot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport schedule list [jobs...]}: each job's schedule in words, its zone, whether it is
 * enabled, and its next three runs with the time until the first; jobs without a schedule are
 * listed as manual. Enabled is what the scheduler goes by: the override {@code lakeport schedule
 * enable|disable} left in the run history, said so with the job file's own setting, else the job
 * file's {@code enabled}. A history that cannot be read leaves the job files' settings, with a
 * warning.
 */
@Command(
    name = "list",
    description = "Show each job's schedule, time zone, enabled, and next three runs.")
final class ScheduleListCommand implements Callable<Integer> {
  private static final int NEXT_RUNS = 3;
  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);

  @ParentCommand ScheduleCommand schedule;
  @Spec CommandSpec spec;

  @Mixin JobArguments jobs;
  @Mixin Output output;

  @Override
  public Integer call() {
    Lakeport lakeport = schedule.lakeport;
    JobLoader loader = lakeport.loader();
    Instant now = lakeport.clock().instant();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JobCatalog catalog = JobCatalog.load(loader, jobs.files());
    catalog.problems().forEach(p -> err.println(p.message()));
    Map<Path, Optional<JobSpec>> loaded = new LinkedHashMap<>();
    catalog.entries().forEach(e -> loaded.put(e.file(), e.job()));
    Function<String, Optional<Boolean>> overrides = overrides(lakeport, loaded, err);
    int exit = loaded.containsValue(Optional.empty()) ? ExitCode.USER.code() : 0;
    if (output.json()) {
      Output.print(out, ScheduleJson.document(catalog, overrides, now));
      err.flush();
      return exit;
    }
    int width =
        loaded.entrySet().stream()
                .mapToInt(
                    e ->
                        e.getValue()
                            .map(
                                j ->
                                    Schedule.retention(j).isPresent()
                                        ? JobNames.retentionOf(j.name())
                                        : j.name())
                            .orElse(e.getKey().toString())
                            .length())
                .max()
                .orElse(0)
            + 2;
    loaded.forEach(
        (file, job) ->
            out.println(
                job.map(j -> describe(j, overrides, now, width))
                    .orElse(
                        pad(file.toString(), width) + "invalid: run lakeport validate " + file)));
    out.flush();
    err.flush();
    return exit;
  }

  /**
   * The enabled overrides of the scheduled jobs, read from the run history at once (the scheduler
   * may hold it, and is then asked through its server); none, after a warning, when it cannot be
   * read.
   */
  private static Function<String, Optional<Boolean>> overrides(
      Lakeport lakeport, Map<Path, Optional<JobSpec>> loaded, PrintWriter err) {
    List<String> scheduled =
        loaded.values().stream()
            .flatMap(Optional::stream)
            .flatMap(
                job -> Stream.concat(Schedule.of(job).stream(), Schedule.retention(job).stream()))
            .map(Schedule::job)
            .toList();
    if (scheduled.isEmpty()) {
      return job -> Optional.empty();
    }
    Map<String, Optional<Boolean>> overrides = new LinkedHashMap<>();
    try (HistoryStore history = lakeport.history()) {
      scheduled.forEach(job -> overrides.put(job, history.schedules().enabledOverride(job)));
    } catch (HistoryException e) {
      err.println(
          "warning: "
              + e.getMessage()
              + ". Showing the job files' enabled, without the runtime switches of"
              + " lakeport schedule enable|disable.");
      return job -> Optional.empty();
    }
    return job -> overrides.getOrDefault(job, Optional.empty());
  }

  /** The job's export schedule (or "manual"), then its retention's, if it has one. */
  private static String describe(
      JobSpec job, Function<String, Optional<Boolean>> overrides, Instant now, int width) {
    String export =
        Schedule.of(job)
            .map(s -> describe(s, overrides.apply(s.job()), now, width))
            .orElse(pad(job.name(), width) + "manual");
    return export
        + Schedule.retention(job)
            .map(s -> "\n" + describe(s, overrides.apply(s.job()), now, width))
            .orElse("");
  }

  private static String describe(
      Schedule schedule, Optional<Boolean> override, Instant now, int width) {
    boolean inFile = schedule.spec().status() == ScheduleSpec.Status.ENABLED;
    boolean enabled = override.orElse(inFile);
    String switched =
        override
            .map(
                on ->
                    "\n"
                        + pad("", width)
                        + "switched "
                        + (on ? "on" : "off")
                        + " at runtime (lakeport schedule "
                        + (on ? "enable" : "disable")
                        + "); the job file says "
                        + (inFile ? "enabled" : "disabled"))
            .orElse("");
    return pad(schedule.job(), width)
        + pad(enabled ? "enabled" : "disabled", 10)
        + schedule.describe()
        + " ("
        + schedule.zone()
        + ")\n"
        + pad("", width)
        + nextRuns(schedule, now, enabled)
        + after(schedule, width)
        + switched;
  }

  /** The jobs a schedule waits for ({@code schedule.after}), on a line of its own. */
  private static String after(Schedule schedule, int width) {
    List<String> after = schedule.spec().after();
    if (after.isEmpty()) {
      return "";
    }
    return "\n"
        + pad("", width)
        + "after "
        + String.join(", ", after)
        + " publish its window (waits up to "
        + ScheduleListCommand.until(schedule.spec().upstreamTimeout()).substring(3)
        + " past a slot)";
  }

  private static String pad(String text, int width) {
    return String.format(Locale.ROOT, "%-" + width + "s", text);
  }

  private static String nextRuns(Schedule schedule, Instant now, boolean enabled) {
    List<Slot> next = nextSlots(schedule, now);
    if (next.isEmpty()) {
      return "no further runs";
    }
    return (enabled ? "next " : "would run ")
        + until(Duration.between(now, next.get(0).instant()))
        + ": "
        + next.stream().map(slot -> format(slot.dueTime())).collect(Collectors.joining(", "));
  }

  /** The schedule's next three slots after {@code now} (fewer when it ends). */
  static List<Slot> nextSlots(Schedule schedule, Instant now) {
    List<Slot> next = new ArrayList<>();
    Instant after = now;
    for (Optional<Slot> slot = schedule.nextAfter(after);
        slot.isPresent() && next.size() < NEXT_RUNS;
        slot = schedule.nextAfter(after)) {
      next.add(slot.get());
      after = slot.get().instant();
    }
    return next;
  }

  private static String format(ZonedDateTime time) {
    return (time.getSecond() == 0 ? MINUTES : SECONDS).format(time);
  }

  /** The time until a run, to the two largest units: in 2d 4h, in 3h 12m, in 12m, in 40s. */
  static String until(Duration duration) {
    long days = duration.toDays();
    int hours = duration.toHoursPart();
    int minutes = duration.toMinutesPart();
    if (days > 0) {
      return "in " + days + "d " + hours + "h";
    }
    if (hours > 0) {
      return "in " + hours + "h " + minutes + "m";
    }
    return minutes > 0 ? "in " + minutes + "m" : "in " + duration.toSecondsPart() + "s";
  }
}
