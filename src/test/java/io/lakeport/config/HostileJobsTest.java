package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lakeport.Fixtures;
import io.lakeport.failure.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Job files written to make the loader work without end: they are refused as job mistakes (exit 2)
 * before they are resolved. The timeouts are a guard against the minutes these files took before,
 * not a performance claim.
 */
class HostileJobsTest {
  private static final Path BROKEN = Path.of("src/test/resources/jobs/broken");
  private static final Duration GUARD = Duration.ofSeconds(5);
  private static final String ENDPOINTS =
      "source { format = parquet, path = /tmp/in }\nsink { format = parquet, path = /tmp/out }\n";

  private final Site site = Fixtures.site();

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"list-doubling.conf", "list-doubling-in-place.conf"})
  void refusesAListDoubledThirtyTimesWithinSeconds(String name) {
    JobConfigException e = assertTimeoutPreemptively(GUARD, () -> refusal(BROKEN.resolve(name)));

    assertThat(e.exitCode()).isEqualTo(ExitCode.USER);
    assertThat(e.problems())
        .singleElement()
        .extracting(ConfigProblem::message)
        .asString()
        .contains("its substitutions expand to more than 1000000 characters");
  }

  @Test
  void acceptsTextsJustUnderTheLimitAndRefusesTheNextDoubling() {
    String hundred = "x".repeat(100);
    // params s0..s12 hold 100 * (2^13 - 1) = 819,100 characters: under the limit of 1,000,000;
    // one more doubling makes them 1,638,300
    Path under = Fixtures.write(dir, "under.conf", doubled(hundred, 12));
    Path over = Fixtures.write(dir, "over.conf", doubled(hundred, 13));

    JobSpec job =
        assertTimeoutPreemptively(
            GUARD, () -> new JobLoader(site).load(under, Map.of(), JobLoader.Mode.RUN));
    JobConfigException e = assertTimeoutPreemptively(GUARD, () -> refusal(over));

    assertThat(job.description()).isEqualTo(hundred.repeat(1 << 12));
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            Fixtures.displayed(over)
                + ":2: params: its substitutions expand to more than 1000000 characters (a value"
                + " that repeats another one grows exponentially). Refer to each list or text"
                + " fewer times; Lakeport refuses jobs this large before resolving them.");
  }

  @Test
  void refusesAJobFileOverOneMegabyteWithoutParsingIt() throws IOException {
    Path big =
        Fixtures.write(
            dir,
            "big.conf",
            "name = big\n" + ENDPOINTS + "description = \"" + "x".repeat(1024 * 1024) + "\"\n");

    JobConfigException e = assertTimeoutPreemptively(GUARD, () -> refusal(big));

    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            Fixtures.displayed(big)
                + ": job file is "
                + Files.size(big)
                + " bytes, more than the limit of 1048576. A job file is a few kilobytes; check"
                + " that this is the job file you meant.");
  }

  /**
   * A job whose description is {@code text} doubled {@code times} times, through string params
   * {@code s0} to {@code s<times>}, each on its own line (s0 on line 3).
   */
  private static String doubled(String text, int times) {
    StringBuilder job = new StringBuilder("name = doubled\nparams {\n  s0 = \"" + text + "\"\n");
    for (int i = 1; i <= times; i++) {
      job.append("  s").append(i).append(" = ${params.s").append(i - 1).append("}${params.s");
      job.append(i - 1).append("}\n");
    }
    return job.append("}\n")
        .append(ENDPOINTS)
        .append("description = ${params.s")
        .append(times)
        .append("}\n")
        .toString();
  }

  private JobConfigException refusal(Path file) {
    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () -> new JobLoader(site).load(file, Map.of(), JobLoader.Mode.RUN));
    assertThat(e).as("loading %s must fail", file).isNotNull();
    return e;
  }
}
