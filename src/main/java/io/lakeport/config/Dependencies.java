package io.lakeport.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How jobs depend on each other through {@code schedule.after}: every job named there must be one
 * of the jobs known together (a folder of job files, the scheduler's catalog) and none may wait for
 * itself, directly or around a cycle, since such jobs would never run. Also the order in which a
 * backfill runs them: every job after the jobs it waits for.
 */
public final class Dependencies {
  private static final String AFTER = "after";

  private Dependencies() {}

  /**
   * The problems of the jobs' {@code schedule.after} against each other, each at the {@code after}
   * of the job that has it: an unknown job (with the closest name) and every cycle, once.
   */
  public static List<ConfigProblem> check(List<JobSpec> jobs) {
    Map<String, JobSpec> byName = new LinkedHashMap<>();
    jobs.forEach(job -> byName.putIfAbsent(job.name(), job));
    List<ConfigProblem> problems = new ArrayList<>();
    for (JobSpec job : byName.values()) {
      for (String upstream : after(job)) {
        if (!byName.containsKey(upstream)) {
          problems.add(
              new ConfigProblem(
                  origin(job),
                  "unknown job \"" + upstream + "\"",
                  Suggestions.didYouMean(upstream, byName.keySet())
                      + "Name a job of "
                      + (byName.size() == 1
                          ? "this folder (none but this one here)"
                          : "this folder: " + String.join(", ", byName.keySet()))
                      + "."));
        }
      }
    }
    Set<String> reported = new HashSet<>();
    for (String name : byName.keySet()) {
      cycleFrom(name, byName)
          .filter(cycle -> reported.addAll(cycle))
          .ifPresent(
              cycle ->
                  problems.add(
                      new ConfigProblem(
                          origin(byName.get(cycle.get(0))),
                          (cycle.size() == 2 ? "job " + cycle.get(0) + " waits for itself" : "")
                              + (cycle.size() == 2
                                  ? ""
                                  : "jobs that wait for each other: "
                                      + String.join(" waits for ", cycle)),
                          "Remove one of these schedule.after entries: jobs in a cycle would never"
                              + " run.")));
    }
    return problems;
  }

  /**
   * The jobs with every one after the jobs it waits for (among these), otherwise in the given
   * order: the order of a backfill over dependent jobs. Needs jobs without cycles.
   */
  public static List<JobSpec> ordered(List<JobSpec> jobs) {
    Map<String, JobSpec> byName = new HashMap<>();
    jobs.forEach(job -> byName.putIfAbsent(job.name(), job));
    Map<String, Integer> depth = new HashMap<>();
    byName.keySet().forEach(name -> depth(name, byName, depth, new HashSet<>()));
    List<JobSpec> ordered = new ArrayList<>(jobs);
    // a stable sort: jobs of one depth keep their order, and a job's runs stay in date order
    ordered.sort(Comparator.comparingInt(job -> depth.getOrDefault(job.name(), 0)));
    return ordered;
  }

  /** How many jobs (among these) at most are waited for before {@code name}. */
  private static int depth(
      String name, Map<String, JobSpec> jobs, Map<String, Integer> depth, Set<String> visiting) {
    Integer known = depth.get(name);
    if (known != null) {
      return known;
    }
    JobSpec job = jobs.get(name);
    if (job == null || !visiting.add(name)) {
      return 0;
    }
    int deepest = 0;
    for (String upstream : after(job)) {
      if (jobs.containsKey(upstream)) {
        deepest = Math.max(deepest, depth(upstream, jobs, depth, visiting) + 1);
      }
    }
    visiting.remove(name);
    depth.put(name, deepest);
    return deepest;
  }

  /** A cycle through {@code start}, as the names from it back to it; empty when there is none. */
  private static Optional<List<String>> cycleFrom(String start, Map<String, JobSpec> jobs) {
    List<String> path = new ArrayList<>();
    path.add(start);
    return walk(start, start, jobs, path, new HashSet<>());
  }

  private static Optional<List<String>> walk(
      String start, String at, Map<String, JobSpec> jobs, List<String> path, Set<String> seen) {
    JobSpec job = jobs.get(at);
    if (job == null || !seen.add(at)) {
      return Optional.empty();
    }
    for (String upstream : after(job)) {
      if (upstream.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return Optional.of(cycle);
      }
      path.add(upstream);
      Optional<List<String>> found = walk(start, upstream, jobs, path, seen);
      if (found.isPresent()) {
        return found;
      }
      path.remove(path.size() - 1);
    }
    return Optional.empty();
  }

  private static List<String> after(JobSpec job) {
    return job.schedule().map(ScheduleSpec::after).orElse(List.of());
  }

  private static Origin origin(JobSpec job) {
    return job.schedule()
        .map(ScheduleSpec::afterOrigin)
        .orElse(new Origin(job.file(), 0, "schedule." + AFTER));
  }
}
