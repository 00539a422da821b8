package io.lakeport.cli;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.Dependencies;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Suggestions;
import io.lakeport.schedule.Schedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    return new JobCatalog(dependencies(entries, load));
  }

  /**
   * The entries with the problems of their jobs' {@code schedule.after}, checked against these jobs
   * and the other jobs of their folders (read only when a job waits for another): a job that waits
   * for an unknown job or in a cycle does not load.
   */
  private static List<Entry> dependencies(List<Entry> entries, Function<Path, JobSpec> load) {
    List<JobSpec> jobs = entries.stream().flatMap(e -> e.job().stream()).toList();
    boolean waits =
        jobs.stream().anyMatch(job -> job.schedule().map(s -> !s.after().isEmpty()).orElse(false));
    if (!waits) {
      return entries;
    }
    Set<Path> read = new HashSet<>();
    entries.forEach(e -> read.add(e.file().toAbsolutePath().normalize()));
    List<JobSpec> known = new ArrayList<>(jobs);
    Set<Path> folders = new LinkedHashSet<>();
    entries.forEach(e -> folders.add(e.file().toAbsolutePath().normalize().getParent()));
    for (Path sibling : JobFiles.expand(List.copyOf(folders))) {
      if (read.add(sibling.toAbsolutePath().normalize())) {
        try {
          known.add(load.apply(sibling));
        } catch (JobConfigException e) {
          // its own problems are its own; its name is unknown here
        }
      }
    }
    Map<String, List<ConfigProblem>> problems = new HashMap<>();
    for (ConfigProblem problem : Dependencies.check(known)) {
      jobs.stream()
          .filter(job -> job.file().equals(problem.origin().file()))
          .findFirst()
          .ifPresent(
              job -> problems.computeIfAbsent(job.file(), f -> new ArrayList<>()).add(problem));
    }
    return entries.stream()
        .map(
            e ->
                e.job().isPresent() && problems.containsKey(e.job().get().file())
                    ? new Entry(e.file(), Optional.empty(), problems.get(e.job().get().file()))
                    : e)
        .toList();
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
