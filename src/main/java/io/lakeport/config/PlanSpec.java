package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a job computes from its source, applied in this order: combine several inputs into one table
 * (a join or a union, for jobs with {@code sources}), standardise dates and timestamps, derive
 * columns, filter ({@code where}), handle nulls, aggregate, then select (include, exclude, rename,
 * order) so the output schema is exactly what the job says.
 */
public record PlanSpec(
    Optional<Combine> combine,
    List<Standardization> standardize,
    List<Derivation> derive,
    Optional<Filter> where,
    NullHandling nulls,
    Optional<Aggregation> aggregate,
    Selection select) {

  public PlanSpec {
    requireNonNull(combine, "combine is null");
    standardize = List.copyOf(standardize);
    derive = List.copyOf(derive);
    requireNonNull(where, "where is null");
    requireNonNull(nulls, "nulls is null");
    requireNonNull(aggregate, "aggregate is null");
    requireNonNull(select, "select is null");
  }

  /**
   * How a job with several inputs ({@code sources}) makes one table of them, before every other
   * step: a {@link Join} of two inputs or a {@link Union} of two or more.
   */
  public sealed interface Combine permits Join, Union {
    /** The inputs it reads, the first (left) one first. */
    List<String> inputs();

    Origin origin();

    /** Where {@code key} of the block is written (the block's line when it is not). */
    Origin origin(String key);
  }

  /**
   * Joins input {@code left} with input {@code right}: on key columns both have ({@code on}, each
   * key once in the output) or on an SQL {@code condition} naming columns by input ({@code
   * orders.customer_id = customers.id}, every column of both kept). Non-key columns take the
   * prefixes, so that two inputs' columns of one name can both be kept. {@code broadcast} hints
   * which side is small enough to send to every executor ({@code auto}: Spark decides by size).
   */
  public record Join(
      String left,
      String right,
      List<String> on,
      Optional<String> condition,
      JoinType type,
      Broadcast broadcast,
      String leftPrefix,
      String rightPrefix,
      Origin origin,
      Map<String, Origin> keyOrigins)
      implements Combine {
    public Join {
      requireNonNull(left, "left is null");
      requireNonNull(right, "right is null");
      on = List.copyOf(on);
      requireNonNull(condition, "condition is null");
      requireNonNull(type, "type is null");
      requireNonNull(broadcast, "broadcast is null");
      requireNonNull(leftPrefix, "leftPrefix is null");
      requireNonNull(rightPrefix, "rightPrefix is null");
      requireNonNull(origin, "origin is null");
      keyOrigins = Map.copyOf(keyOrigins);
    }

    @Override
    public List<String> inputs() {
      return List.of(left, right);
    }

    @Override
    public Origin origin(String key) {
      return keyOrigins.getOrDefault(key, origin.child(key));
    }
  }

  /** The kinds of join, as SQL names them ({@code semi} and {@code anti} keep the left columns). */
  public enum JoinType {
    INNER("inner"),
    LEFT("left_outer"),
    RIGHT("right_outer"),
    FULL("full_outer"),
    SEMI("left_semi"),
    ANTI("left_anti");

    private final String spark;

    JoinType(String spark) {
      this.spark = spark;
    }

    /** Spark's name of the join type. */
    public String spark() {
      return spark;
    }

    /** Whether the output has the right input's columns. */
    public boolean keepsRight() {
      return this != SEMI && this != ANTI;
    }
  }

  /** Which side of a join is sent whole to every executor: Spark's choice, or a hinted side. */
  public enum Broadcast {
    AUTO,
    LEFT,
    RIGHT
  }

  /**
   * The rows of every input, one after the other: columns matched by name ({@code by-name}, the
   * default) or by position; with {@code allow-missing-columns} a column some inputs lack is null
   * in their rows.
   */
  public record Union(
      List<String> inputs,
      boolean byName,
      boolean allowMissingColumns,
      Origin origin,
      Map<String, Origin> keyOrigins)
      implements Combine {
    public Union {
      inputs = List.copyOf(inputs);
      requireNonNull(origin, "origin is null");
      keyOrigins = Map.copyOf(keyOrigins);
    }

    @Override
    public Origin origin(String key) {
      return keyOrigins.getOrDefault(key, origin.child(key));
    }
  }

  /**
   * A column computed from a Spark SQL expression, e.g. {@code detected_date =
   * "to_date(detected_at)"}.
   */
  public record Derivation(String name, String expression, Origin origin) {
    public Derivation {
      requireNonNull(name, "name is null");
      requireNonNull(expression, "expression is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /**
   * Turns a text or number column into a date or timestamp: from ISO-8601 ({@code iso}), epoch
   * seconds or milliseconds, or a datetime pattern such as {@code dd/MM/yyyy HH:mm}. Local
   * date-times are read in the job's time zone.
   */
  public record Standardization(String column, TemporalType to, String from, Origin origin) {
    public static final String ISO = "iso";
    public static final String EPOCH_SECONDS = "epoch-seconds";
    public static final String EPOCH_MILLIS = "epoch-millis";

    public Standardization {
      requireNonNull(column, "column is null");
      requireNonNull(to, "to is null");
      requireNonNull(from, "from is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /** Target type of a standardised column. */
  public enum TemporalType {
    DATE,
    TIMESTAMP
  }

  /**
   * Rows with a null in any {@code drop} column are removed; {@code fill} replaces nulls by a
   * value.
   */
  public record NullHandling(
      List<String> drop, List<Fill> fill, Origin origin, Map<String, Origin> keyOrigins) {
    public NullHandling {
      drop = List.copyOf(drop);
      fill = List.copyOf(fill);
      requireNonNull(origin, "origin is null");
      keyOrigins = Map.copyOf(keyOrigins);
    }

    /** Where {@code key} of this section is written (the section's line when it is not). */
    public Origin origin(String key) {
      return keyOrigins.getOrDefault(key, origin.child(key));
    }
  }

  /** Replace nulls of {@code column} by {@code value}, converted to the column's type. */
  public record Fill(String column, String value, Origin origin) {
    public Fill {
      requireNonNull(column, "column is null");
      requireNonNull(value, "value is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /** Group-by columns, an optional time bucket (itself a group key), and named metrics. */
  public record Aggregation(
      List<String> groupBy,
      Optional<TimeBucket> timeBucket,
      List<Metric> metrics,
      Origin origin,
      Map<String, Origin> keyOrigins) {
    public Aggregation {
      groupBy = List.copyOf(groupBy);
      requireNonNull(timeBucket, "timeBucket is null");
      metrics = List.copyOf(metrics);
      requireNonNull(origin, "origin is null");
      keyOrigins = Map.copyOf(keyOrigins);
    }

    /** Where {@code key} of this section is written (the section's line when it is not). */
    public Origin origin(String key) {
      return keyOrigins.getOrDefault(key, origin.child(key));
    }
  }

  /**
   * Truncates a timestamp column to the start of its bucket in the job's time zone, e.g. every 1
   * hour or 15 minutes, or every day, week (Monday) or month. The bucket is a timestamp column
   * named {@code as}.
   */
  public record TimeBucket(String column, int amount, TimeUnit unit, String as, Origin origin) {
    public TimeBucket {
      requireNonNull(column, "column is null");
      requireNonNull(unit, "unit is null");
      requireNonNull(as, "as is null");
      requireNonNull(origin, "origin is null");
    }
  }

  /** Units of time buckets and of {@code between} ranges on timestamps. */
  public enum TimeUnit {
    MINUTE,
    HOUR,
    DAY,
    WEEK,
    MONTH
  }

  /**
   * One output column of an aggregation: {@code count}, {@code count(col)}, {@code
   * count_distinct(col)}, {@code approx_count_distinct(col)}, {@code sum}, {@code avg}, {@code
   * min}, {@code max}, and {@code percentile(col, p)} (exact) or {@code approx_percentile(col, p)};
   * or any other Spark SQL aggregate expression ({@link MetricFunction#EXPRESSION}, its text in
   * {@code expression}): {@code sum(price * qty)}, {@code count_if(status = 'paid')}, {@code
   * max_by(city, population)}.
   */
  public record Metric(
      String name,
      MetricFunction function,
      Optional<String> column,
      Optional<Double> percentile,
      Optional<String> expression,
      Origin origin) {
    public Metric {
      requireNonNull(name, "name is null");
      requireNonNull(function, "function is null");
      requireNonNull(column, "column is null");
      requireNonNull(percentile, "percentile is null");
      requireNonNull(expression, "expression is null");
      if (expression.isPresent() != (function == MetricFunction.EXPRESSION)) {
        throw new IllegalArgumentException("an expression is the metric of EXPRESSION only");
      }
      requireNonNull(origin, "origin is null");
    }

    /** A metric of any Spark SQL aggregate expression. */
    public static Metric expression(String name, String expression, Origin origin) {
      return new Metric(
          name,
          MetricFunction.EXPRESSION,
          Optional.empty(),
          Optional.empty(),
          Optional.of(expression),
          origin);
    }
  }

  /** Aggregate functions a metric can use. */
  public enum MetricFunction {
    COUNT,
    COUNT_DISTINCT,
    APPROX_COUNT_DISTINCT,
    SUM,
    AVG,
    MIN,
    MAX,
    PERCENTILE,
    APPROX_PERCENTILE,
    /** Any other Spark SQL aggregate expression, checked by Spark's parser and analyzer. */
    EXPRESSION;

    public boolean needsPercentile() {
      return this == PERCENTILE || this == APPROX_PERCENTILE;
    }

    public boolean needsColumn() {
      return this != COUNT && this != EXPRESSION;
    }
  }

  /**
   * The output columns: {@code columns} keeps only the listed columns (in that order), {@code
   * exclude} drops columns, {@code rename} renames (old = new), {@code order} puts the listed
   * columns first, in that order (names after renaming).
   */
  public record Selection(
      List<String> include,
      List<String> exclude,
      List<Rename> rename,
      List<String> order,
      Origin origin,
      Map<String, Origin> keyOrigins) {
    public Selection {
      include = List.copyOf(include);
      exclude = List.copyOf(exclude);
      rename = List.copyOf(rename);
      order = List.copyOf(order);
      requireNonNull(origin, "origin is null");
      keyOrigins = Map.copyOf(keyOrigins);
    }

    /** Where {@code key} of this section is written (the section's line when it is not). */
    public Origin origin(String key) {
      return keyOrigins.getOrDefault(key, origin.child(key));
    }
  }

  /** Renames column {@code from} to {@code to}. */
  public record Rename(String from, String to, Origin origin) {
    public Rename {
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      requireNonNull(origin, "origin is null");
    }
  }
}
