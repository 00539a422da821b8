package io.lakeport.cli;

import io.lakeport.api.Job;
import io.lakeport.config.Site;
import io.lakeport.run.Sessions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

/** {@code lakeport preview <job> [--limit N]}: the first rows of the output; nothing is written. */
@Command(
    name = "preview",
    description = "Print the first rows the job would export; writes nothing.")
final class PreviewCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin Params params;
  @Mixin AcceleratorOption accelerator;

  @Parameters(index = "0", paramLabel = "JOB")
  Path job;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "Rows to show (default ${DEFAULT-VALUE}).")
  int limit;

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
    var rows = api.preview(Sessions.create(site, master), limit);
    // Dataset.show prints to Scala's Console.out, fixed when Scala first used it; print to ours
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    scala.Console.withOut(
        shown,
        (scala.Function0<Object>)
            () -> {
              rows.show(limit, false);
              return null;
            });
    spec.commandLine().getOut().print(shown.toString(StandardCharsets.UTF_8));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
