package io.lakeport.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects problems while a job is read, so that all of them are reported at once. */
final class Problems {
  private final List<ConfigProblem> list = new ArrayList<>();

  void add(Origin origin, String problem, String fix) {
    list.add(new ConfigProblem(origin, problem, fix));
  }

  void addAll(Collection<ConfigProblem> problems) {
    list.addAll(problems);
  }

  /** Whether a problem was already found at {@code path} (e.g. {@code sink.path}). */
  boolean at(String path) {
    return list.stream().anyMatch(problem -> problem.origin().path().equals(path));
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  void throwIfAny() {
    if (!list.isEmpty()) {
      throw new JobConfigException(list);
    }
  }

  /** "Did you mean" hint: the valid choice closest to what was written, if it is close enough. */
  static String suggestion(String written, Collection<String> choices) {
    return Suggestions.didYouMean(written, choices);
  }
}
