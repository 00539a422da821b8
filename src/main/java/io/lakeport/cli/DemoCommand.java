package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.demo.DemoData;
import io.lakeport.history.Trigger;
import io.lakeport.lifecycle.RunLifecycle;
import io.lakeport.manifest.OutputFile;
import io.lakeport.run.ExportRunner;
import io.lakeport.run.RunId;
import io.lakeport.run.RunResult;
import io.lakeport.run.Sessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
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
 * {@code lakeport demo}: creates the demo source tables when they are absent, then runs the example
 * job, recorded in the run history like any {@code lakeport run}, and shows where its files and
 * manifest are.
 */
@Command(name = "demo", description = "Create the demo tables if absent and run an example export.")
final class DemoCommand implements Callable<Integer> {
  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;
  @Mixin AcceleratorOption accelerator;

  @Option(
      names = "--job",
      paramLabel = "FILE",
      description = "Job to run (default: jobs/security-anomalies-daily.conf).")
  Path job;

  @Option(
      names = "--run-date",
      paramLabel = "DATE",
      defaultValue = "2026-11-23",
      description = "run_date for the job, within the demo data (default ${DEFAULT-VALUE}).")
  LocalDate runDate;

  @Override
  public Integer call() {
    Site site = accelerator.apply(lakeport.site());
    Path file =
        job != null
            ? job
            : Lakeport.home().resolve("jobs").resolve("security-anomalies-daily.conf");
    JobSpec spec =
        new JobLoader(site)
            .load(file, Map.of(JobLoader.RUN_DATE, runDate.toString()), JobLoader.Mode.RUN);
    SparkSession spark = Sessions.create(site, Optional.empty());
    PrintWriter out = this.spec.commandLine().getOut();
    List<String> created = DemoData.createIfAbsent(spark, site.warehouse());
    out.println(
        created.isEmpty()
            ? "Demo tables already present in " + site.warehouse()
            : "Created demo tables " + created + " in " + site.warehouse());
    ProgressListener.install(spark.sparkContext());
    Clock clock = lakeport.clock();
    PrintWriter err = this.spec.commandLine().getErr();
    try (RunLifecycle lifecycle = RunLifecycle.recording(site, clock, err::println)) {
      RunResult result =
          lifecycle.export(new ExportRunner(spark, clock), spec, RunId.next(clock), Trigger.MANUAL);
      out.println("Files written:");
      for (OutputFile f : result.manifest().files()) {
        out.printf(
            "  %s/%s  (%,d rows, %,d bytes)%n",
            result.manifest().sink().path(), f.path(), f.rows(), f.bytes());
      }
      RunCommand.report(out, result);
    }
    return 0;
  }
}
