package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkException;
import org.apache.spark.sql.AnalysisException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's analysis errors that reach a run are job mistakes (exit code 2) at the key that
 * introduced them, or at the plan's first line; other failures stay what they are.
 */
class JobMistakesSparkTest {
  @TempDir Path dir;

  private JobSpec job() {
    return Fixtures.job(
        dir,
        """
        name = mistakes
        source { format = parquet, path = /unused }

        plan {
          derive { doubled = "score * 2" }
        }
        sink {
          format = parquet
          path = /tmp/unused/out
          partition-by = [region]
        }
        """,
        Map.of());
  }

  private static AnalysisException analysisError(String sql) {
    return catchThrowableOfType(AnalysisException.class, () -> TestSpark.session().sql(sql));
  }

  @Test
  void anUnknownColumnThatTheSinkPartitionsByPointsAtPartitionBy() {
    AnalysisException e = analysisError("select region from values (1) as t(id)");

    JobConfigException mistake = JobMistakes.of(job(), e).orElseThrow();

    assertThat(mistake.problems())
        .extracting(ConfigProblem::message)
        .singleElement()
        .asString()
        .startsWith(
            Fixtures.displayed(dir.resolve("job.conf"))
                + ":10: sink.partition-by: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable,"
                + " or function parameter with name \"region\" cannot be resolved.");
  }

  @Test
  void anyOtherAnalysisErrorPointsAtThePlansFirstLine() {
    AnalysisException e = analysisError("select nope(1)");

    JobConfigException mistake =
        JobMistakes.of(job(), new IllegalStateException("wrapped", e)).orElseThrow();

    assertThat(mistake.problems())
        .extracting(ConfigProblem::message)
        .singleElement()
        .asString()
        .startsWith(Fixtures.displayed(dir.resolve("job.conf")) + ":5: plan: [UNRESOLVED_ROUTINE]");
  }

  @Test
  void failuresOutsideTheJobAreNotMistakes() {
    JobSpec job = job();

    assertThat(JobMistakes.of(job, new IOException("No space left on device"))).isEmpty();
    assertThat(JobMistakes.of(job, new SparkException("task failed"))).isEmpty();
    assertThat(JobMistakes.of(job, new IllegalStateException("a bug"))).isEmpty();
  }
}
