package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lakeport jobs}: the jobs in the jobs folder, with descriptions. */
@Command(name = "jobs", description = "List the jobs in jobs/ with their descriptions.")
final class JobsCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "FOLDER", description = "Jobs folder (default: jobs/).")
  Path dir;

  @Override
  public Integer call() {
    JobLoader loader = lakeport.loader();
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files =
        JobFiles.expand(List.of(dir != null ? dir : Lakeport.home().resolve("jobs")));
    for (JobCatalog.Entry entry : JobCatalog.load(loader, files).entries()) {
      if (entry.job().isPresent()) {
        JobSpec job = entry.job().get();
        out.printf(
            "%-32s %s%n    %s %s -> %s %s%n",
            job.name(),
            job.description(),
            job.source().format().name().toLowerCase(),
            job.source().location(),
            job.sink().format().name().toLowerCase(),
            job.sink().path());
      } else {
        out.printf(
            "%-32s (invalid: run lakeport validate %s)%n",
            entry.file().getFileName(), entry.file());
      }
    }
    out.flush();
    return 0;
  }
}
