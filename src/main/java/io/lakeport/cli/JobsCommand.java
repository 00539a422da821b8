package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lakeport jobs}: the jobs in the jobs folder, with descriptions. */
@Command(name = "jobs", description = "List the jobs in jobs/ with their descriptions.")
final class JobsCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Output output;

  @Option(names = "--dir", paramLabel = "FOLDER", description = "Jobs folder (default: jobs/).")
  Path dir;

  @Override
  public Integer call() {
    JobLoader loader = lakeport.loader();
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files =
        JobFiles.expand(List.of(dir != null ? dir : Lakeport.home().resolve("jobs")));
    List<JobCatalog.Entry> entries = JobCatalog.load(loader, files).entries();
    if (output.json()) {
      Output.print(out, Map.of("jobs", entries.stream().map(JobsCommand::json).toList()));
      return 0;
    }
    for (JobCatalog.Entry entry : entries) {
      if (entry.job().isPresent()) {
        JobSpec job = entry.job().get();
        out.printf(
            "%-32s %s%n    %s %s -> %s %s%n",
            job.name(),
            job.description(),
            format(job.source().format()),
            job.source().location(),
            format(job.sink().format()),
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

  /** A job file as data: its job, or why it does not load. */
  private static Map<String, Object> json(JobCatalog.Entry entry) {
    Map<String, Object> view = JsonDocument.object();
    view.put("file", entry.file().toString());
    view.put("valid", entry.job().isPresent());
    view.put("name", entry.job().map(JobSpec::name).orElse(null));
    view.put("description", entry.job().map(JobSpec::description).orElse(null));
    view.put(
        "source",
        entry
            .job()
            .map(
                job ->
                    JsonDocument.object(
                        "format", format(job.source().format()),
                        "location", job.source().location()))
            .orElse(null));
    view.put(
        "sink",
        entry
            .job()
            .map(
                job ->
                    JsonDocument.object(
                        "format", format(job.sink().format()), "path", job.sink().path()))
            .orElse(null));
    view.put("problems", entry.problems().stream().map(JsonDocument::problem).toList());
    return view;
  }

  private static String format(Enum<?> format) {
    return format.name().toLowerCase(Locale.ROOT);
  }
}
