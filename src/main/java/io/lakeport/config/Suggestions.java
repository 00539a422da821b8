package io.lakeport.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" hints for names that are not among the valid ones: in job files, settings and
 * commands.
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * {@code Did you mean "x"? } (with a trailing space) for the closest valid choice, or nothing.
   */
  public static String didYouMean(String written, Collection<String> choices) {
    return closest(written, choices).map(best -> "Did you mean \"" + best + "\"? ").orElse("");
  }

  /**
   * The valid choice closest to what was written, by edits (insertions, deletions, substitutions)
   * ignoring case, if it is close enough: at most two edits, or a third of what was written.
   */
  public static Optional<String> closest(String written, Collection<String> choices) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String choice : choices) {
      int distance = distance(written.toLowerCase(Locale.ROOT), choice.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = choice;
        bestDistance = distance;
      }
    }
    return best != null && bestDistance <= Math.max(2, written.length() / 3)
        ? Optional.of(best)
        : Optional.empty();
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
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
