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
    int failed = 0;
    for (JobCatalog.Entry entry : JobCatalog.validate(loader, files, params.values).entries()) {
      List<ConfigProblem> problems = new ArrayList<>(entry.problems());
      if (entry.job().isPresent() && !offline) {
        problems.addAll(schemaProblems(entry.job().get(), err));
      }
      if (problems.isEmpty()) {
        entry.job().ifPresent(job -> out.println("ok " + job.file() + " (" + job.name() + ")"));
      }
      problems.forEach(p -> err.println(p.message()));
      failed += problems.isEmpty() ? 0 : 1;
    }
    out.flush();
    err.flush();
    return failed == 0 ? 0 : ExitCode.USER.code();
  }

  /**
   * The job's mistakes that its source's schema reveals; a source that cannot be read now is a
   * warning.
   */
  private List<ConfigProblem> schemaProblems(JobSpec job, PrintWriter err) {
    Optional<String> unread = SchemaCheck.unread(job);
    SchemaCheck.Result result =
        unread.isPresent()
            ? new SchemaCheck.Result(List.of(), unread)
            : SchemaCheck.validate(session(), job);
    result
        .unchecked()
        .ifPresent(
            reason ->
                err.println(
                    "warning: "
                        + job.source().origin().describe()
                        + ": not checked against the source's schema: "
                        + reason
                        + "."));
    return result.problems();
  }

  /** The local session, started for the first job that needs it. */
  private SparkSession session() {
    if (spark == null) {
      spark = Sessions.create(lakeport.site(), Optional.empty());
    }
    return spark;
  }
}
