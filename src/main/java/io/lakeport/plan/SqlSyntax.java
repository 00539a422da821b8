package io.lakeport.plan;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.Filter;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Origin;
import io.lakeport.config.PlanSpec.Derivation;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;

/**
 * Checks the syntax of a job's SQL expressions without a Spark session, so {@code validate} finds a
 * typo in a derived column before any cluster time is spent. Column names are checked later,
 * against the source schema.
 */
public final class SqlSyntax {
  private SqlSyntax() {}

  public static List<ConfigProblem> check(JobSpec job) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (Derivation d : job.plan().derive()) {
      parse(d.expression(), d.origin(), problems);
    }
    job.plan().where().ifPresent(filter -> check(filter, problems));
    return problems;
  }

  private static void check(Filter filter, List<ConfigProblem> problems) {
    if (filter instanceof Filter.And and) {
      and.filters().forEach(f -> check(f, problems));
    } else if (filter instanceof Filter.Or or) {
      or.filters().forEach(f -> check(f, problems));
    } else if (filter instanceof Filter.Not not) {
      check(not.filter(), problems);
    } else if (filter instanceof Filter.Sql sql) {
      parse(sql.expression(), sql.origin(), problems);
    }
  }

  private static void parse(String expression, Origin origin, List<ConfigProblem> problems) {
    try {
      CatalystSqlParser$.MODULE$.parseExpression(expression);
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
}
