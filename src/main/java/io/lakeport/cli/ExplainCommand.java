package io.lakeport.cli;

import io.lakeport.api.Job;
import io.lakeport.config.Site;
import io.lakeport.run.Sessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lakeport explain <job>}: Lakeport's plan in words, then Spark's physical plan. */
@Command(
    name = "explain",
    description =
        "Show the job's plan, then Spark's physical plan (pushed filters, partition pruning) and"
            + " which operators the accelerator runs natively.")
final class ExplainCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Params params;
  @Mixin AcceleratorOption accelerator;

  @Parameters(index = "0", paramLabel = "JOB")
  Path job;

  @Option(names = "--master", paramLabel = "URL")
  Optional<String> master;

  @Override
  public Integer call() {
    Site site = accelerator.apply(lakeport.site());
    Job api =
        io.lakeport.api.Lakeport.of(Path.of(""), site, Clock.systemUTC())
            .job(job)
            .params(params.values);
    api.validate(); // every job file problem before a Spark session starts
    PrintWriter out = this.spec.commandLine().getOut();
    out.print(api.explain(Sessions.create(site, master)));
    out.println();
    out.flush();
    return 0;
  }
}
