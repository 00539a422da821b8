package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One broken site settings file ({@code conf/application.conf} stand-in) per config error, in
 * {@code src/test/resources/site/broken}, each naming the exact messages it must produce in {@code
 * # expect:} lines.
 */
class BrokenSitesTest {
  private static final Path DIR = Path.of("src/test/resources/site/broken");

  static List<Path> fixtures() {
    return Fixtures.confFiles(DIR);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void reportsExactlyTheExpectedProblems(Path fixture) throws IOException {
    JobConfigException e =
        catchThrowableOfType(JobConfigException.class, () -> Site.load(Optional.of(fixture)));

    assertThat(e).as("loading %s must fail", fixture).isNotNull();
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .as(fixture.toString())
        .containsExactlyElementsOf(Fixtures.expectedProblems(fixture, Files.readAllLines(fixture)));
  }
}
