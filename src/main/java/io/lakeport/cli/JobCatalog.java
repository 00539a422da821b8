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
import java.util.stream.Stream;

/**
 * The job files of a command, each loaded once for validation (no params given): the jobs, and the
 * problems of the files that do not load. Commands that take a job's name look it up here, and an
 * unknown name is refused with the closest known one.
 */
final class JobCatalog {
  private final List<JobSpec> jobs;
  private final List<ConfigProblem> problems;

  private JobCatalog(List<JobSpec> jobs, List<ConfigProblem> problems) {
    this.jobs = List.copyOf(jobs);
    this.problems = List.copyOf(problems);
  }

  /** Loads every file; a file that does not load adds its problems instead of a job. */
  static JobCatalog load(JobLoader loader, List<Path> files) {
    List<JobSpec> jobs = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        jobs.add(loader.load(file, Map.of(), JobLoader.Mode.VALIDATE));
      } catch (JobConfigException e) {
        problems.addAll(e.problems());
      }
    }
    return new JobCatalog(jobs, problems);
  }

  List<JobSpec> jobs() {
    return jobs;
  }

  List<ConfigProblem> problems() {
    return problems;
  }

  /**
   * The names the scheduler knows: each scheduled job's, and {@code <job>.retention} for each
   * scheduled retention.
   */
  List<String> scheduledNames() {
    return jobs.stream()
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
