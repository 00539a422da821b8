package io.lakeport.cli;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.failure.ExitCode;
import io.lakeport.run.SchemaCheck;
import io.lakeport.run.Sessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport validate [--offline] [jobs...]}: checks job files, then each plan against its
 * source's schema where the source can be read without reading its data (a Spark session starts
 * only then). Params a run would need are filled with sample values unless given.
 */
@Command(
    name = "validate",
    description =
        "Check job files, and each plan against its source's schema; reports every problem.")
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Params params;
  @Mixin JobArguments jobs;
  @Mixin Output output;
  @Mixin AcceleratorOption accelerator;

  @Option(
      names = "--offline",
      description = "Check the job files only: read no source and start no Spark session.")
  boolean offline;

  private SparkSession spark;

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
    List<Checked> checked = new ArrayList<>();
    for (JobCatalog.Entry entry : JobCatalog.validate(loader, files, params.values).entries()) {
      Checked file = check(entry);
      checked.add(file);
      if (!output.json()) {
        print(file, out, err);
      }
    }
    boolean valid = checked.stream().allMatch(c -> c.problems().isEmpty());
    if (output.json()) {
      Map<String, Object> document = JsonDocument.object();
      document.put("valid", valid);
      document.put("jobs", checked.stream().map(ValidateCommand::json).toList());
      Output.print(out, document);
    }
    out.flush();
    err.flush();
    return valid ? 0 : ExitCode.USER.code();
  }

  /**
   * One job file checked: its problems, and why its plan was not checked against its source's
   * schema, if it was not.
   */
  private record Checked(
      JobCatalog.Entry entry, List<ConfigProblem> problems, Optional<String> unchecked) {}

  private Checked check(JobCatalog.Entry entry) {
    List<ConfigProblem> problems = new ArrayList<>(entry.problems());
    Optional<String> unchecked = Optional.of(offline ? "--offline" : "the job file does not load");
    if (entry.job().isPresent() && !offline) {
      SchemaCheck.Result result = schemaCheck(entry.job().get());
      problems.addAll(result.problems());
      unchecked = result.unchecked();
    }
    return new Checked(entry, problems, unchecked);
  }

  private void print(Checked file, PrintWriter out, PrintWriter err) {
    if (!offline) {
      file.entry()
          .job()
          .ifPresent(
              job ->
                  file.unchecked()
                      .ifPresent(
                          reason ->
                              err.println(
                                  "warning: "
                                      + job.source().origin().describe()
                                      + ": not checked against the source's schema: "
                                      + reason
                                      + ".")));
    }
    if (file.problems().isEmpty()) {
      file.entry()
          .job()
          .ifPresent(job -> out.println("ok " + job.file() + " (" + job.name() + ")"));
    }
    file.problems().forEach(p -> err.println(p.message()));
  }

  private static Map<String, Object> json(Checked file) {
    Map<String, Object> view = JsonDocument.object();
    view.put("file", file.entry().file().toString());
    view.put("job", file.entry().job().map(JobSpec::name).orElse(null));
    view.put("valid", file.problems().isEmpty());
    view.put("schema_checked", file.unchecked().isEmpty());
    view.put("schema_not_checked_because", file.unchecked().orElse(null));
    view.put("problems", file.problems().stream().map(JsonDocument::problem).toList());
    return view;
  }

  /**
   * What the job's source's schema reveals; a source that cannot be read now leaves the job
   * unchecked, with the reason.
   */
  private SchemaCheck.Result schemaCheck(JobSpec job) {
    Optional<String> unread = SchemaCheck.unread(job);
    return unread.isPresent()
        ? new SchemaCheck.Result(List.of(), unread)
        : SchemaCheck.validate(session(), job);
  }

  /** The local session, started for the first job that needs it. */
  private SparkSession session() {
    if (spark == null) {
      spark = Sessions.create(accelerator.apply(lakeport.site()), Optional.empty());
    }
    return spark;
  }
}
