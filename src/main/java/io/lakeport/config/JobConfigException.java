package io.lakeport.config;

import io.lakeport.failure.Classified;
import io.lakeport.failure.ExitCode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every problem found in a job, reported at once. A user error: the CLI prints the messages and
 * exits with code 2, without a stack trace.
 */
public final class JobConfigException extends RuntimeException implements Classified {
  private static final long serialVersionUID = 1L;
  private final List<ConfigProblem> problems;

  public JobConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::message).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  @Override
  public ExitCode exitCode() {
    return ExitCode.USER;
  }
}
