package io.lakeport.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * The {@code [JOB...]} arguments of commands that read job files: files or folders, jobs/ when
 * none.
 */
final class JobArguments {
  @Parameters(
      arity = "0..*",
      paramLabel = "JOB",
      description = "Job files or folders (default: jobs/).")
  List<Path> jobs = new ArrayList<>();

  /** The job files named, or every {@code *.conf} in jobs/ when none are. */
  List<Path> files() {
    return JobFiles.expand(jobs.isEmpty() ? List.of(Lakeport.home().resolve("jobs")) : jobs);
  }
}
