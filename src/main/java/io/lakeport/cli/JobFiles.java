package io.lakeport.cli;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.plan.SqlSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Finds and loads job files for the commands. */
final class JobFiles {
  private JobFiles() {}

  /** Expands command-line job arguments: a folder stands for every {@code *.conf} file in it. */
  static List<Path> expand(List<Path> arguments) {
    List<Path> files = new ArrayList<>();
    for (Path argument : arguments) {
      if (Files.isDirectory(argument)) {
        try (Stream<Path> listing = Files.list(argument)) {
          listing
              .filter(p -> p.getFileName().toString().endsWith(".conf"))
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        files.add(argument);
      }
    }
    return files;
  }

  /**
   * Loads a job and checks its SQL syntax, so every problem a job file can show without data is
   * reported before a Spark session starts.
   */
  static JobSpec load(
      JobLoader loader, Path file, Map<String, String> params, JobLoader.Mode mode) {
    JobSpec job = loader.load(file, params, mode);
    List<ConfigProblem> problems = SqlSyntax.check(job, loader.site().allowsJavaMethods());
    if (!problems.isEmpty()) {
      throw new JobConfigException(problems);
    }
    return job;
  }
}
