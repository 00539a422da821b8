package io.lakeport.config;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a job: where ({@link Origin}), what, and how to fix it. Rendered as {@code
 * <file>:<line>: <path>: <problem>. <fix>}.
 */
public record ConfigProblem(Origin origin, String problem, String fix) {
  public ConfigProblem {
    requireNonNull(origin, "origin is null");
    requireNonNull(problem, "problem is null");
    requireNonNull(fix, "fix is null");
  }

  public String message() {
    String text = origin.describe() + ": " + problem + ".";
    return fix.isEmpty() ? text : text + " " + fix;
  }
}
