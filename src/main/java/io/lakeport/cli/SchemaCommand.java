package io.lakeport.cli;

import io.lakeport.api.Job;
import io.lakeport.config.Site;
import io.lakeport.failure.ExitCode;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.run.Sessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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

/** {@code lakeport schema ...}: the output schema of a job's exports and how it changes. */
@Command(
    name = "schema",
    description = "The output schema of a job's exports and how it changes.",
    subcommands = {SchemaCommand.DiffCommand.class})
final class SchemaCommand {
  @ParentCommand Lakeport lakeport;

  /**
   * {@code lakeport schema diff <job>}: the changes between the job's last two published exports,
   * or with {@code --plan} between its last export and its plan as it is now, each with the action
   * of the job's {@code schema-drift} policy.
   */
  @Command(
      name = "diff",
      description = {
        "Show how the job's output schema changed between its last two published exports, or with"
            + " --plan between its last export and the plan in the job file now (what the next run"
            + " would find), with the action the job's schema-drift policy takes on each change.",
        "Exit code 0; with --plan, 5 when the policy would refuse the next run."
      })
  static final class DiffCommand implements Callable<Integer> {
    @ParentCommand SchemaCommand schema;
    @Spec CommandSpec spec;
    @Mixin Params params;

    @Parameters(index = "0", paramLabel = "JOB")
    Path job;

    @Option(
        names = "--plan",
        description =
            "Compare the last export with the job's plan as it is now (starts Spark to read the"
                + " source's schema; no data is read).")
    boolean plan;

    @Option(names = "--master", paramLabel = "URL")
    Optional<String> master;

    @Override
    public Integer call() {
      Site site = schema.lakeport.site();
      Job api =
          io.lakeport.api.Lakeport.of(Path.of(""), site, Clock.systemUTC())
              .job(job)
              .params(params.values);
      api.validate(); // every job file problem before a Spark session starts
      Optional<Job.SchemaChange> change;
      try {
        change = plan ? api.schemaChange(Sessions.create(site, master)) : api.schemaChange();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot read the manifests of " + job + ": " + e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (change.isEmpty()) {
        out.println(
            plan
                ? "nothing published yet: the first run has no schema to compare with"
                : "fewer than two published exports: nothing to compare");
        out.flush();
        return 0;
      }
      SchemaDrift drift = change.get().drift();
      out.println("from run " + change.get().fromRun() + " to " + change.get().to() + ":");
      if (drift.unchanged()) {
        out.println("  no change");
      } else {
        Table table = new Table("KIND", "COLUMN", "BEFORE", "AFTER", "POLICY");
        for (SchemaDrift.Change c : drift.changes()) {
          table.row(
              c.kind(),
              c.column(),
              c.before() == null ? "-" : c.before(),
              c.after() == null ? "-" : c.after(),
              c.action());
        }
        table.print(out);
      }
      out.flush();
      boolean refused = !drift.withAction(SchemaDrift.FAIL).isEmpty();
      return plan && refused ? ExitCode.REFUSED.code() : 0;
    }
  }
}
