package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.plan.CompiledPlan;
import io.lakeport.run.ExportRunner;
import io.lakeport.run.Sessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lakeport explain <job>}: Lakeport's plan in words, then Spark's physical plan. */
@Command(name = "explain", description = "Show the job's plan, then Spark's physical plan (pushed filters, partition pruning).")
final class ExplainCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Params params;

  @Parameters(index = "0", paramLabel = "JOB") Path job;

  @Option(names = "--master", paramLabel = "URL") Optional<String> master;

  @Override
  public Integer call() {
    Site site = lakeport.site();
    JobSpec spec = JobFiles.load(new JobLoader(site), job, params.values, JobLoader.Mode.RUN);
    CompiledPlan plan = new ExportRunner(Sessions.create(site, master), Clock.systemUTC()).plan(spec);
    PrintWriter out = this.spec.commandLine().getOut();
    out.println("== Lakeport plan: " + spec.name() + " ==");
    out.println("source: " + spec.source().format().name().toLowerCase() + " " + spec.source().location());
    plan.steps().forEach(step -> out.println("  " + step));
    out.println("sink: " + spec.sink().format().name().toLowerCase() + " " + spec.sink().path()
        + (spec.sink().partitionBy().isEmpty() ? "" : " partitioned by " + spec.sink().partitionBy()));
    out.println();
    out.println("== Spark physical plan ==");
    out.println(plan.output().queryExecution().explainString(org.apache.spark.sql.execution.ExplainMode.fromString("formatted")));
    out.flush();
    return 0;
  }
}
