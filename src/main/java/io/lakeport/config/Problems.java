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
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String choice : choices) {
      int distance = distance(written.toLowerCase(), choice.toLowerCase());
      if (distance < bestDistance) {
        best = choice;
        bestDistance = distance;
      }
    }
    return best != null && bestDistance <= Math.max(2, written.length() / 3)
        ? "Did you mean \"" + best + "\"? "
        : "";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
