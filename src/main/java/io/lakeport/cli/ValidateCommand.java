package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.failure.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport validate [jobs...]}: checks job files without starting Spark. Params a run would
 * need are filled with sample values unless given.
 */
@Command(
    name = "validate",
    description = "Check job files without starting Spark; reports every problem.")
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Params params;
  @Mixin JobArguments jobs;

  @Override
  public Integer call() {
    JobLoader loader = lakeport.loader();
    List<Path> files = jobs.files();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (files.isEmpty()) {
      err.println("No job files (*.conf) found in " + jobs.jobs + ".");
      return ExitCode.USER.code();
    }
    int failed = 0;
    for (JobCatalog.Entry entry : JobCatalog.validate(loader, files, params.values).entries()) {
      entry.job().ifPresent(job -> out.println("ok " + job.file() + " (" + job.name() + ")"));
      entry.problems().forEach(p -> err.println(p.message()));
      failed += entry.problems().isEmpty() ? 0 : 1;
    }
    out.flush();
    err.flush();
    return failed == 0 ? 0 : ExitCode.USER.code();
  }
}
