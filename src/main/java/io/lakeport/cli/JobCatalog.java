package io.lakeport.cli;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Suggestions;
import io.lakeport.schedule.Schedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The job files of a command, each loaded once: the jobs, and the problems of the files that do not
 * load, in file order. Every command that reads several job files reads them here. Commands that
 * take a job's name look it up here, and an unknown name is refused with the closest known one.
 */
final class JobCatalog {
  private final List<Entry> entries;

  /** One job file: its job, or the problems that keep it from loading. */
  record Entry(Path file, Optional<JobSpec> job, List<ConfigProblem> problems) {}

  private JobCatalog(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Loads every file for validation, without params. */
  static JobCatalog load(JobLoader loader, List<Path> files) {
    return read(files, file -> loader.load(file, Map.of(), JobLoader.Mode.VALIDATE));
  }

  /**
   * Loads every file for validation with {@code params}, with its SQL syntax checked too: what
   * {@code lakeport validate} reports.
   */
  static JobCatalog validate(JobLoader loader, List<Path> files, Map<String, String> params) {
    return read(files, file -> JobFiles.load(loader, file, params, JobLoader.Mode.VALIDATE));
  }

  private static JobCatalog read(List<Path> files, Function<Path, JobSpec> load) {
    List<Entry> entries = new ArrayList<>();
    for (Path file : files) {
      try {
        entries.add(new Entry(file, Optional.of(load.apply(file)), List.of()));
      } catch (JobConfigException e) {
        entries.add(new Entry(file, Optional.empty(), e.problems()));
      }
    }
    return new JobCatalog(entries);
  }

  List<Entry> entries() {
    return entries;
  }

  /** The jobs that loaded. */
  List<JobSpec> jobs() {
    return entries.stream().flatMap(e -> e.job().stream()).toList();
  }

  /** The problems of every file that did not load. */
  List<ConfigProblem> problems() {
    return entries.stream().flatMap(e -> e.problems().stream()).toList();
  }

  /** Every job, or every problem of every file at once as a {@link JobConfigException}. */
  List<JobSpec> requireValid() {
    List<ConfigProblem> problems = problems();
    if (!problems.isEmpty()) {
      throw new JobConfigException(problems);
    }
    return jobs();
  }

  /**
   * The names the scheduler knows: each scheduled job's, and {@code <job>.retention} for each
   * scheduled retention.
   */
  List<String> scheduledNames() {
    return jobs().stream()
        .flatMap(job -> Stream.concat(Schedule.of(job).stream(), Schedule.retention(job).stream()))
        .map(Schedule::job)
        .toList();
  }

  /**
   * Refuses a name that is not one of {@code known} (exit code 2), naming the closest known one and
   * where the names come from.
   */
  static void requireKnown(String name, List<String> known, String what, String where) {
    if (known.contains(name)) {
      return;
    }
    throw new Failures.UserException(
        "Unknown "
            + what
            + " \""
            + name
            + "\". "
            + Suggestions.didYouMean(name, known)
            + "Known: "
            + (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList()))
            + " ("
            + where
            + ").");
  }
}
