package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One broken job file per config error, in {@code src/test/resources/jobs/broken}. Each file says
 * what it must produce in {@code # expect:} lines (exact messages, {@code {file}} standing for its
 * path), and may pass params in a {@code # params: k=v,k=v} line.
 */
class BrokenJobsTest {
  private static final Path DIR = Path.of("src/test/resources/jobs/broken");

  static List<Path> fixtures() {
    return Fixtures.confFiles(DIR);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void reportsExactlyTheExpectedProblems(Path fixture) throws IOException {
    List<String> lines = Files.readAllLines(fixture);
    List<String> expected = Fixtures.expectedProblems(fixture, lines);
    Map<String, String> params = new LinkedHashMap<>();
    lines.stream()
        .filter(l -> l.startsWith("# params: "))
        .flatMap(l -> Stream.of(l.substring(10).split(",")))
        .forEach(
            kv -> params.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)));

    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () -> new JobLoader(Fixtures.site()).load(fixture, params, JobLoader.Mode.RUN));

    assertThat(e).as("loading %s must fail", fixture).isNotNull();
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .as(fixture.toString())
        .containsExactlyElementsOf(expected);
  }
}
