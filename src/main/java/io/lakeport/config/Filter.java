package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.PlanSpec.TimeUnit;
import java.util.List;
import java.util.Optional;

/**
 * The {@code where} tree of a job: {@code and}, {@code or}, {@code not} over column predicates, and
 * raw SQL as an escape hatch. Rows are kept where the tree is true; as in SQL, a comparison with
 * null is unknown, so it neither keeps the row nor (under {@code not}) keeps it either.
 */
public sealed interface Filter {
  Origin origin();

  /** True when every child is true. */
  record And(List<Filter> filters, Origin origin) implements Filter {
    public And {
      filters = List.copyOf(filters);
      requireNonNull(origin, "origin is null");
    }
  }

  /** True when any child is true. */
  record Or(List<Filter> filters, Origin origin) implements Filter {
    public Or {
      filters = List.copyOf(filters);
      requireNonNull(origin, "origin is null");
    }
  }

  /** True when the child is false. */
  record Not(Filter filter, Origin origin) implements Filter {
    public Not {
      requireNonNull(filter, "filter is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /**
   * {@code column operator values}. Values are text as written and are converted to the column's
   * type when the plan is compiled. {@code unit} widens date bounds on timestamp columns to whole
   * units in the job's time zone ({@code between = [d1, d2], unit = day} is every instant of those
   * days).
   */
  record Predicate(
      String column, Operator operator, List<String> values, Optional<TimeUnit> unit, Origin origin)
      implements Filter {
    public Predicate {
      requireNonNull(column, "column is null");
      requireNonNull(operator, "operator is null");
      values = List.copyOf(values);
      requireNonNull(unit, "unit is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /** A Spark SQL boolean expression, used as written. */
  record Sql(String expression, Origin origin) implements Filter {
    public Sql {
      requireNonNull(expression, "expression is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /** Column operators, with how many values each takes. */
  enum Operator {
    EQ(1),
    NE(1),
    LT(1),
    LTE(1),
    GT(1),
    GTE(1),
    IN(-1),
    NOT_IN(-1),
    BETWEEN(2),
    LIKE(1),
    REGEX(1),
    IS_NULL(0),
    NOT_NULL(0);

    private final int arity;

    Operator(int arity) {
      this.arity = arity;
    }

    /** Number of values: 0 (written as {@code = true}), 1, 2, or -1 for a non-empty list. */
    public int arity() {
      return arity;
    }
  }
}
