package io.lakeport.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Problems only the source schema reveals, all reported at once with the job file's lines. A step
 * that fails adds nothing, so later steps see the schema without it.
 */
class SchemaProblemsSparkTest {
  @TempDir Path dir;

  @Test
  void reportsEveryUnknownColumnBadValueAndBadExpressionAtOnce() {
    String hocon =
        """
        name = schema-problems
        source { format = parquet, path = /unused }
        plan {
          derive {
            bad_sql = "score +* 2"
            unknown_ref = "nope + 1"
          }
          where = { and = [
            { column = sevrity, eq = high }
            { column = score, gt = high }
            { column = ts, between = [yesterday, 2026-11-01], unit = day }
          ] }
          aggregate {
            group-by = [severity, tenant]
            metrics { n = "count", s = "sum(scores)" }
          }
          select { rename { severity = level, missing = other } }
        }
        sink { format = parquet, path = /tmp/unused }
        """;
    JobSpec job = Fixtures.job(dir, hocon, Map.of());
    String file = Fixtures.displayed(dir.resolve("job.conf"));

    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () -> PlanCompiler.compile(job, Events.frame(), Optional.empty()));

    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            file
                + ":5: plan.derive.bad_sql: [PARSE_SYNTAX_ERROR] Syntax error at or near '2': extra input '2'.",
            file
                + ":6: plan.derive.unknown_ref: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter"
                + " with name \"nope\" cannot be resolved. Did you mean one of the following? [\"ip\", \"id\", \"ts\", \"day\", \"score\"].",
            file
                + ":9: plan.where.and[0].column: unknown column \"sevrity\". Columns at this step: id, severity, score, ip, ts, day, flag.",
            file
                + ":10: plan.where.and[1].gt: expected a number (the column is double), found \"high\".",
            file + ":11: plan.where.and[2].between: \"yesterday\" is not a date or timestamp.",
            file
                + ":14: plan.aggregate.group-by: unknown column \"tenant\". Columns at this step: id, severity, score, ip, ts, day, flag.",
            file
                + ":15: plan.aggregate.metrics.s: unknown column \"scores\". Columns at this step: id, severity, score, ip, ts, day, flag.",
            file
                + ":17: plan.select.rename.missing: unknown column \"missing\". Columns at this step: id, severity, score, ip, ts, day, flag.");
  }
}
