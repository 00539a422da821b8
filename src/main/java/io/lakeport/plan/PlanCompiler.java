package io.lakeport.plan;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.lakeport.config.JobSpec;
import io.lakeport.config.PlanSpec;
import io.lakeport.config.PlanSpec.Aggregation;
import io.lakeport.config.PlanSpec.Derivation;
import io.lakeport.config.PlanSpec.Fill;
import io.lakeport.config.PlanSpec.NullHandling;
import io.lakeport.config.PlanSpec.Standardization;
import io.lakeport.config.PlanSpec.TimeBucket;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.DataType;

/**
 * Compiles a job's plan onto its source Dataset: standardise, derive, filter, handle nulls,
 * aggregate, select. Every reference is checked against the schema at its step, and all problems
 * are reported at once with the job file line that caused them. Runs no Spark job.
 *
 * <p>Local-time operations on zoned timestamps (date buckets, {@code to_date}) follow the session
 * time zone, which the caller sets to the job's zone. Zone-less ({@code TIMESTAMP_NTZ}) columns
 * stay wall-clock values: their filters and buckets never go through a zone.
 */
public final class PlanCompiler {
  /**
   * Metric: rows read from the source, as its scans counted them (the runner reads Spark's scan
   * metric).
   */
  public static final String ROWS_READ = "rows_read";

  /** Observed metric prefix: values of a standardised column that could not be parsed. */
  public static final String INVALID_PREFIX = "invalid_";

  private final JobSpec job;
  private final ZoneId zone;
  private final PlanProblems problems = new PlanProblems();
  private final List<String> steps = new ArrayList<>();

  private PlanCompiler(JobSpec job) {
    this.job = job;
    this.zone = job.timeZone();
  }

  /**
   * Compiles the plan of {@code job} onto {@code source}; when {@code observation} is present and
   * the job standardizes columns, the values that do not parse ({@link #INVALID_PREFIX}column) are
   * observed on it.
   *
   * @throws io.lakeport.config.JobConfigException listing every problem found
   */
  public static CompiledPlan compile(
      JobSpec job, Dataset<Row> source, Optional<Observation> observation) {
    return new PlanCompiler(job).run(source, observation);
  }

  /**
   * Compiles the plan of {@code job} onto its inputs, by name ({@link
   * io.lakeport.config.InputSpec}): combined first by the plan's join or union, when it has one.
   *
   * @throws io.lakeport.config.JobConfigException listing every problem found
   */
  public static CompiledPlan compile(
      JobSpec job, Map<String, Dataset<Row>> inputs, Optional<Observation> observation) {
    PlanCompiler compiler = new PlanCompiler(job);
    if (job.plan().combine().isEmpty()) {
      return compiler.run(inputs.get(job.inputs().get(0).name()), observation);
    }
    Optional<Dataset<Row>> combined =
        new Combiner(job, compiler.problems, compiler.steps)
            .combine(job.plan().combine().get(), inputs);
    compiler.problems.throwIfAny();
    return compiler.run(combined.orElseThrow(), observation);
  }

  /**
   * Compiles a filter written in a job file (e.g. a quality rule) into one boolean column of {@code
   * df}, with values converted to the columns' types as in {@code where}.
   *
   * @throws io.lakeport.config.JobConfigException naming the filter's line when it does not fit df
   */
  public static Column condition(Dataset<Row> df, io.lakeport.config.Filter filter, JobSpec job) {
    PlanProblems problems = new PlanProblems();
    Optional<Column> condition =
        new Predicates(df, job.timeZone(), job.params(), problems).compile(filter);
    condition.ifPresent(c -> problems.analyze(filter.origin(), () -> df.filter(c)));
    problems.throwIfAny();
    return condition.orElseThrow();
  }

  private CompiledPlan run(Dataset<Row> source, Optional<Observation> observation) {
    PlanSpec plan = job.plan();
    List<Column> metrics = new ArrayList<>();
    Dataset<Row> df = standardize(source, plan.standardize(), metrics);
    // Only invalid values are observed here: an observation between the source and the filters
    // keeps Spark from pushing them into the scan. Rows read come from the scan's own metric.
    if (observation.isPresent() && !metrics.isEmpty()) {
      df =
          df.observe(
              observation.get(),
              metrics.get(0),
              metrics.subList(1, metrics.size()).toArray(Column[]::new));
    }
    df = restoreStandardized(df, plan.standardize());
    df = derive(df, plan.derive());
    df = where(df, plan);
    df = nulls(df, plan.nulls());
    if (plan.aggregate().isPresent()) {
      df = aggregate(df, plan.aggregate().get());
    }
    df = new Selector(problems, steps).select(df, plan.select());
    OutputChecks.check(job, source.schema(), df.schema(), problems);
    problems.throwIfAny();
    return new CompiledPlan(df, steps);
  }

  private Dataset<Row> standardize(
      Dataset<Row> df, List<Standardization> list, List<Column> metrics) {
    for (Standardization s : list) {
      if (!PlanProblems.has(df.schema(), s.column())) {
        problems.unknownColumn(s.origin(), s.column(), df.schema());
        continue;
      }
      Column original = col(s.column());
      Column parsed =
          Standardizer.parse(
              original,
              df.schema().apply(df.schema().fieldIndex(actual(df, s.column()))).dataType(),
              s);
      String temp = "__lakeport_" + s.column();
      Dataset<Row> withParsed = df.withColumn(temp, parsed);
      metrics.add(
          sum(when(original.isNotNull().and(col(temp).isNull()), 1).otherwise(0))
              .as(INVALID_PREFIX + s.column()));
      df = withParsed;
      steps.add(
          "standardize " + s.column() + " from " + s.from() + " to " + s.to().name().toLowerCase());
    }
    return df;
  }

  /** Puts each standardised column (added beside its original) in place of the original. */
  private static Dataset<Row> restoreStandardized(Dataset<Row> df, List<Standardization> list) {
    List<Column> columns = new ArrayList<>();
    for (String name : df.columns()) {
      if (name.startsWith("__lakeport_")) {
        continue;
      }
      boolean standardized = PlanProblems.has(df.schema(), "__lakeport_" + name);
      columns.add(standardized ? col("__lakeport_" + name).as(name) : col(name));
    }
    return list.isEmpty() ? df : df.select(columns.toArray(Column[]::new));
  }

  private Dataset<Row> derive(Dataset<Row> df, List<Derivation> list) {
    for (Derivation d : list) {
      Dataset<Row> current = df;
      Optional<Dataset<Row>> next =
          problems.analyze(
              d.origin(),
              () ->
                  current.withColumn(
                      d.name(), expr(SqlParameters.bind(d.expression(), job.params()))));
      if (next.isPresent()) {
        df = next.get();
        steps.add("derive " + d.name() + " = " + d.expression());
      }
    }
    return df;
  }

  private Dataset<Row> where(Dataset<Row> df, PlanSpec plan) {
    if (plan.where().isEmpty()) {
      return df;
    }
    Optional<Column> condition =
        new Predicates(df, zone, job.params(), problems).compile(plan.where().get());
    if (condition.isEmpty()) {
      return df;
    }
    Optional<Dataset<Row>> filtered =
        problems.analyze(plan.where().get().origin(), () -> df.filter(condition.get()));
    filtered.ifPresent(f -> steps.add("filter " + conditionSql(f)));
    return filtered.orElse(df);
  }

  private Dataset<Row> nulls(Dataset<Row> df, NullHandling nulls) {
    for (String column : nulls.drop()) {
      if (!PlanProblems.has(df.schema(), column)) {
        problems.unknownColumn(nulls.origin("drop"), column, df.schema());
      }
    }
    if (!nulls.drop().isEmpty()
        && nulls.drop().stream().allMatch(c -> PlanProblems.has(df.schema(), c))) {
      steps.add("drop rows with a null in " + nulls.drop());
      return fill(df.na().drop(nulls.drop().toArray(String[]::new)), nulls.fill());
    }
    return fill(df, nulls.fill());
  }

  private Dataset<Row> fill(Dataset<Row> df, List<Fill> fills) {
    for (Fill f : fills) {
      if (!PlanProblems.has(df.schema(), f.column())) {
        problems.unknownColumn(f.origin(), f.column(), df.schema());
        continue;
      }
      String name = actual(df, f.column());
      Column value = lit(f.value()).cast(df.schema().apply(name).dataType());
      Dataset<Row> current = df;
      df =
          problems
              .analyze(f.origin(), () -> current.withColumn(name, coalesce(col(name), value)))
              .orElse(df);
      steps.add("fill nulls in " + name + " with " + f.value());
    }
    return df;
  }

  private Dataset<Row> aggregate(Dataset<Row> df, Aggregation aggregation) {
    List<Column> keys = new ArrayList<>();
    for (String column : aggregation.groupBy()) {
      if (PlanProblems.has(df.schema(), column)) {
        keys.add(col(column));
      } else {
        problems.unknownColumn(aggregation.origin("group-by"), column, df.schema());
      }
    }
    if (aggregation.timeBucket().isPresent()) {
      TimeBucket bucket = aggregation.timeBucket().get();
      if (!PlanProblems.has(df.schema(), bucket.column())) {
        problems.unknownColumn(bucket.origin().child("column"), bucket.column(), df.schema());
      } else if (PlanProblems.isTemporal(df.schema(), bucket.column(), bucket.origin(), problems)) {
        Dataset<Row> input = df;
        DataType type = df.schema().apply(actual(df, bucket.column())).dataType();
        Optional<Dataset<Row>> bucketed =
            problems.analyze(
                bucket.origin(),
                () ->
                    input.withColumn(
                        bucket.as(),
                        Temporal.bucket(
                            col(bucket.column()), type, bucket.amount(), bucket.unit(), zone)));
        if (bucketed.isPresent()) {
          df = bucketed.get();
          keys.add(col(bucket.as()));
        }
      }
    }
    Metrics.refuseClashes(aggregation, problems);
    List<Column> metrics = Metrics.compile(df, keys, aggregation.metrics(), job.params(), problems);
    if (metrics.isEmpty() || metrics.size() != aggregation.metrics().size()) {
      return df;
    }
    Dataset<Row> input = df;
    Optional<Dataset<Row>> aggregated =
        problems.analyze(
            aggregation.origin(),
            () ->
                input
                    .groupBy(keys.toArray(Column[]::new))
                    .agg(
                        metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new)));
    aggregated.ifPresent(a -> steps.add("aggregate " + aggregateSql(a)));
    return aggregated.orElse(df);
  }

  /** The aggregation as Spark analysed it: group keys, then each metric in SQL. */
  private static String aggregateSql(Dataset<Row> aggregated) {
    LogicalPlan analyzed = aggregated.queryExecution().analyzed();
    if (!(analyzed instanceof Aggregate aggregate)) {
      return analyzed.simpleString(5);
    }
    List<String> keys = new ArrayList<>();
    aggregate.groupingExpressions().foreach(e -> keys.add(e.sql()));
    List<String> values = new ArrayList<>();
    aggregate.aggregateExpressions().foreach(e -> values.add(((Expression) e).sql()));
    return "by " + String.join(", ", keys) + ": " + String.join(", ", values);
  }

  /** The filter as Spark analysed it, in SQL: literals typed, column names resolved. */
  private static String conditionSql(Dataset<Row> filtered) {
    LogicalPlan analyzed = filtered.queryExecution().analyzed();
    return analyzed instanceof Filter filter ? filter.condition().sql() : analyzed.simpleString(5);
  }

  private static String actual(Dataset<Row> df, String column) {
    for (String name : df.columns()) {
      if (name.equalsIgnoreCase(column)) {
        return name;
      }
    }
    return column;
  }
}
