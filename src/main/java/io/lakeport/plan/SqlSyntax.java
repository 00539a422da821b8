package io.lakeport.plan;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.Filter;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Origin;
import io.lakeport.config.Param;
import io.lakeport.config.PlanSpec;
import io.lakeport.config.PlanSpec.Derivation;
import io.lakeport.config.QualitySpec;
import io.lakeport.config.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks the syntax of a job's SQL expressions without a Spark session, so {@code validate} finds a
 * typo in a derived column before any cluster time is spent, and that every {@code :name} marker
 * names a parameter of the job ({@link SqlParameters} binds them), and that none reaches past the
 * job's rows (a subquery, a Java method called by name). Column names are checked later, against
 * the source schema.
 */
public final class SqlSyntax {
  private SqlSyntax() {}

  /** The problems of the job's expressions, Java methods refused. */
  public static List<ConfigProblem> check(JobSpec job) {
    return check(job, false);
  }

  /**
   * The problems of the job's expressions; {@code javaMethods}: the site lets them call Java
   * methods by name ({@code lakeport.sql.allow-java-methods}). Subqueries are refused either way.
   */
  public static List<ConfigProblem> check(JobSpec job, boolean javaMethods) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, Param> params = job.params();
    job.plan()
        .combine()
        .filter(combine -> combine instanceof PlanSpec.Join)
        .map(combine -> (PlanSpec.Join) combine)
        .ifPresent(
            join ->
                join.condition()
                    .ifPresent(
                        condition ->
                            parse(
                                condition,
                                join.origin("condition"),
                                params,
                                javaMethods,
                                problems)));
    for (Derivation d : job.plan().derive()) {
      parse(d.expression(), d.origin(), params, javaMethods, problems);
    }
    job.plan().where().ifPresent(filter -> check(filter, params, javaMethods, problems));
    job.quality().rules().stream()
        .filter(rule -> rule instanceof QualitySpec.RowRule)
        .forEach(
            rule -> check(((QualitySpec.RowRule) rule).check(), params, javaMethods, problems));
    job.plan()
        .aggregate()
        .ifPresent(
            aggregation ->
                aggregation.metrics().stream()
                    .filter(m -> m.expression().isPresent())
                    .forEach(
                        m ->
                            parse(
                                m.expression().get(), m.origin(), params, javaMethods, problems)));
    job.sink()
        .replaceWhere()
        .ifPresent(
            condition ->
                parse(
                    condition,
                    job.sink().origin().child("replace-where"),
                    params,
                    javaMethods,
                    problems));
    return problems;
  }

  private static void check(
      Filter filter, Map<String, Param> params, boolean javaMethods, List<ConfigProblem> problems) {
    if (filter instanceof Filter.And and) {
      and.filters().forEach(f -> check(f, params, javaMethods, problems));
    } else if (filter instanceof Filter.Or or) {
      or.filters().forEach(f -> check(f, params, javaMethods, problems));
    } else if (filter instanceof Filter.Not not) {
      check(not.filter(), params, javaMethods, problems);
    } else if (filter instanceof Filter.Sql sql) {
      parse(sql.expression(), sql.origin(), params, javaMethods, problems);
    }
  }

  private static void parse(
      String expression,
      Origin origin,
      Map<String, Param> params,
      boolean javaMethods,
      List<ConfigProblem> problems) {
    try {
      Expression parsed = CatalystSqlParser$.MODULE$.parseExpression(expression);
      checkMarkers(parsed, origin, params, problems);
      refuseReachingOut(parsed, expression, origin, javaMethods, problems);
    } catch (Exception e) {
      if (!(e instanceof AnalysisException analysis)) {
        throw e;
      }
      problems.add(
          new ConfigProblem(
              origin,
              "invalid SQL expression \""
                  + expression
                  + "\": "
                  + PlanProblems.sparkMessage(analysis),
              "Fix the expression (Spark SQL syntax)."));
    }
  }

  /**
   * Refuses what would let a job file's expression reach past its own rows: a subquery (it could
   * read any table or file path, {@code parquet.`/etc`}) and the functions that call Java methods
   * by name ({@code reflect}, {@code java_method}, {@code try_reflect}).
   */
  private static void refuseReachingOut(
      Expression parsed,
      String expression,
      Origin origin,
      boolean javaMethods,
      List<ConfigProblem> problems) {
    if (contains(parsed, e -> e instanceof SubqueryExpression)) {
      problems.add(
          new ConfigProblem(
              origin,
              "a subquery in \"" + expression + "\" is not allowed",
              "An expression works on the rows of the job's source; read other data as the"
                  + " job's source instead."));
    }
    for (String name :
        javaMethods ? List.<String>of() : List.of("reflect", "java_method", "try_reflect")) {
      if (contains(
          parsed,
          e -> e instanceof UnresolvedFunction f && f.nameParts().last().equalsIgnoreCase(name))) {
        problems.add(
            new ConfigProblem(
                origin,
                name + "() in \"" + expression + "\" is not allowed",
                "It calls Java methods by name; use Spark SQL's built-in functions (a site whose"
                    + " job authors are all trusted may set lakeport.sql.allow-java-methods ="
                    + " true)."));
      }
    }
  }

  private static boolean contains(Expression expression, Predicate<Expression> test) {
    if (test.test(expression)) {
      return true;
    }
    for (Expression child : CollectionConverters.asJava(expression.children())) {
      if (contains(child, test)) {
        return true;
      }
    }
    return false;
  }

  private static void checkMarkers(
      Expression parsed, Origin origin, Map<String, Param> params, List<ConfigProblem> problems) {
    for (SqlParameters.Marker marker : SqlParameters.markers(parsed)) {
      if (!params.containsKey(marker.name())) {
        problems.add(
            new ConfigProblem(
                origin,
                ":" + marker.name() + " is not a parameter of this job",
                Suggestions.didYouMean(marker.name(), params.keySet())
                    + "Declare it in params { "
                    + marker.name()
                    + " = ... } or pass --param "
                    + marker.name()
                    + "=...."));
      }
    }
    if (SqlParameters.hasPositional(parsed)) {
      problems.add(
          new ConfigProblem(
              origin,
              "positional markers (?) cannot be bound",
              "Name the parameter instead, e.g. email = :dept."));
    }
  }
}
