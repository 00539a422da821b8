package io.lakeport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.ConfigProblem;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job file's SQL expressions checked without Spark: what reaches past the job's rows is refused
 * wherever it is written (a subquery could read any path, reflect() calls any static method), and
 * aggregate metrics are parsed like the other expressions.
 */
class SqlSyntaxTest {
  @TempDir Path dir;

  @Test
  void subqueriesAndJavaMethodsAreRefusedInEveryExpressionOfAJob() {
    String file = Fixtures.displayed(dir.resolve("job.conf"));
    assertThat(
            problems(
                """
        name = attack
        source { format = parquet, path = /tmp/in }
        plan {
          derive { secret = "(select max(value) from text.`/etc/passwd`)" }
          where = { sql = "exists (select 1 from parquet.`/srv/other-team`)" }
          aggregate {
            group-by = [secret]
            metrics {
              n = "count"
              boom = "max(reflect('java.lang.System', 'exit', 0))"
              call = "sum(java_method('java.lang.Math', 'abs', id))"
            }
          }
        }
        quality.rules = [{ name = r, sql = "id in (select id from parquet.`/tmp/x`)" }]
        sink { format = parquet, path = /tmp/out }
        """))
        .containsExactly(
            file
                + ":4: plan.derive.secret: a subquery in \"(select max(value) from"
                + " text.`/etc/passwd`)\" is not allowed. An expression works on the rows of the"
                + " job's source; read other data as the job's source instead.",
            file
                + ":5: plan.where: a subquery in \"exists (select 1 from"
                + " parquet.`/srv/other-team`)\" is not allowed. An expression works on the rows"
                + " of the job's source; read other data as the job's source instead.",
            file
                + ":15: quality.rules[0]: a subquery in \"id in (select id from"
                + " parquet.`/tmp/x`)\" is not allowed. An expression works on the rows of the"
                + " job's source; read other data as the job's source instead.",
            file
                + ":10: plan.aggregate.metrics.boom: reflect() in \"max(reflect('java.lang.System',"
                + " 'exit', 0))\" is not allowed. It calls Java methods by name; use Spark SQL's"
                + " built-in functions (a site whose job authors are all trusted may set"
                + " lakeport.sql.allow-java-methods = true).",
            file
                + ":11: plan.aggregate.metrics.call: java_method() in"
                + " \"sum(java_method('java.lang.Math', 'abs', id))\" is not allowed. It calls Java"
                + " methods by name; use Spark SQL's built-in functions (a site whose job authors are all"
                + " trusted may set lakeport.sql.allow-java-methods = true).");
  }

  @Test
  void aSiteOfTrustedAuthorsMayLetThemCallJavaMethodsButNeverSubqueries() {
    var job =
        Fixtures.job(
            dir,
            """
        name = trusted
        source { format = parquet, path = /tmp/in }
        plan.derive {
          napped = "reflect('java.lang.Thread', 'sleep', 10L)"
          other = "(select 1)"
        }
        sink { format = parquet, path = /tmp/out }
        """,
            Map.of());
    assertThat(SqlSyntax.check(job, true))
        .extracting(ConfigProblem::message)
        .singleElement()
        .satisfies(m -> assertThat(m).contains("plan.derive.other: a subquery in"));
    assertThat(SqlSyntax.check(job, false)).hasSize(2);
  }

  @Test
  void aggregateMetricsAreParsedAndTheirMarkersChecked() {
    String file = Fixtures.displayed(dir.resolve("job.conf"));
    assertThat(
            problems(
                """
        name = metrics
        params { limit = "10" }
        source { format = parquet, path = /tmp/in }
        plan.aggregate.metrics {
          ok = "count_if(amount > :limit)"
          typo = "sum(price *)"
          unknown = "sum(price * :qty)"
        }
        sink { format = parquet, path = /tmp/out }
        """))
        .hasSize(2)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        file
                            + ":6: plan.aggregate.metrics.typo: invalid SQL expression \"sum(price *)\": "))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        file
                            + ":7: plan.aggregate.metrics.unknown: :qty is not a parameter of this"
                            + " job."));
  }

  private java.util.List<String> problems(String hocon) {
    return SqlSyntax.check(Fixtures.job(dir, hocon, Map.of())).stream()
        .map(ConfigProblem::message)
        .toList();
  }
}
