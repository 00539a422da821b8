package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A job's data-quality rules ({@code quality.rules}), checked on the output rows before anything is
 * published. Row rules say what every row must satisfy; rows failing a {@code quarantine} rule go
 * to {@code _rejects} with the rule and reason instead of the export; the others count. Each rule
 * fails the run when its failed ratio exceeds its {@code max-failed-ratio} (never for {@code
 * warn}). {@code maxFailedRatio} is the section's default, which also bounds the source records
 * that could not be parsed.
 */
public record QualitySpec(List<Rule> rules, double maxFailedRatio) {
  public QualitySpec {
    rules = List.copyOf(rules);
  }

  /** What a failing rule does. */
  public enum Action {
    /**
     * The run fails when the rule's failed ratio exceeds its threshold; rows stay in the export.
     */
    FAIL,
    /** Failing rows go to {@code _rejects}, not the export; the run fails above the threshold. */
    QUARANTINE,
    /** Counted and reported, never fails the run. */
    WARN
  }

  /** A rule with its name (for the manifest and rejects), action and where it is written. */
  public sealed interface Rule {
    String name();

    Action action();

    Origin origin();
  }

  /**
   * Every row must satisfy {@code check}; rows where it is unknown (null values) are not checked.
   */
  public record RowRule(
      String name, Filter check, Action action, double maxFailedRatio, Origin origin)
      implements Rule {
    public RowRule {
      requireNonNull(name, "name is null");
      requireNonNull(check, "check is null");
      requireNonNull(action, "action is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /**
   * No two rows share the values of {@code columns}; the failed count is the rows beyond the first.
   */
  public record UniqueRule(String name, List<String> columns, Action action, Origin origin)
      implements Rule {
    public UniqueRule {
      requireNonNull(name, "name is null");
      columns = List.copyOf(columns);
      requireNonNull(action, "action is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /** Bounds on the rows exported, absolute and as a change against the previous published run. */
  public record RowCountRule(
      String name,
      Optional<Long> min,
      Optional<Long> max,
      Optional<Double> maxDrop,
      Optional<Double> maxRise,
      Action action,
      Origin origin)
      implements Rule {
    public RowCountRule {
      requireNonNull(name, "name is null");
      requireNonNull(min, "min is null");
      requireNonNull(max, "max is null");
      requireNonNull(maxDrop, "maxDrop is null");
      requireNonNull(maxRise, "maxRise is null");
      requireNonNull(action, "action is null");
      requireNonNull(origin, "origin is null");
    }
  }
}
