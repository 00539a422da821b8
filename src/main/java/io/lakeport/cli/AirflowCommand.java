package io.lakeport.cli;

import io.lakeport.airflow.AirflowClient;
import io.lakeport.airflow.AirflowException;
import io.lakeport.airflow.DagRun;
import io.lakeport.airflow.Dags;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.run.Versions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport airflow generate|trigger|status}: DAG files for Airflow from the job files, and
 * DAG runs through Airflow's REST API ({@code lakeport.airflow} in the site settings).
 */
@Command(
    name = "airflow",
    description =
        "Airflow: generate DAGs from the job files, print their template, trigger runs, show their"
            + " state.",
    subcommands = {
      AirflowCommand.GenerateCommand.class,
      AirflowCommand.TemplateCommand.class,
      AirflowCommand.TriggerCommand.class,
      AirflowCommand.StatusCommand.class
    })
final class AirflowCommand {
  private static final int LATEST_RUNS = 10;

  @ParentCommand Lakeport lakeport;

  @Command(
      name = "generate",
      description = "Write one DAG file per job (SparkSubmitOperator) into --out.")
  static final class GenerateCommand implements Callable<Integer> {
    @ParentCommand AirflowCommand airflow;
    @Spec CommandSpec spec;

    @Option(
        names = "--out",
        defaultValue = "dags",
        paramLabel = "DIR",
        description = "Folder for the DAG files (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(
        names = "--start-date",
        paramLabel = "DATE",
        description =
            "start_date of the DAGs of jobs that set no airflow.start-date (default: none; such"
                + " jobs are refused).")
    Optional<LocalDate> startDate;

    @Mixin JobArguments jobs;

    @Override
    public Integer call() {
      Site site = airflow.lakeport.site();
      List<JobSpec> specs = JobCatalog.load(new JobLoader(site), jobs.files()).requireValid();
      PrintWriter printer = spec.commandLine().getOut();
      for (Path file : Dags.write(specs, site, Versions.lakeport(), startDate, out)) {
        printer.println("wrote " + file);
      }
      printer.flush();
      return 0;
    }
  }

  @Command(
      name = "template",
      description =
          "Print the built-in DAG template, to start a template of your own from"
              + " (lakeport.airflow.dags.template).")
  static final class TemplateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter printer = spec.commandLine().getOut();
      printer.print(Dags.builtInTemplate());
      printer.flush();
      return 0;
    }
  }

  @Command(name = "trigger", description = "Trigger a run of a job's DAG in Airflow.")
  static final class TriggerCommand implements Callable<Integer> {
    @ParentCommand AirflowCommand airflow;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "Job file or job name (the DAG id).")
    String job;

    @Option(
        names = "--date",
        paramLabel = "DATE",
        description = "The run's run_date (conf run_date); default: the DAG's rule.")
    Optional<LocalDate> date;

    @Option(
        names = "--conf",
        paramLabel = "KEY=VALUE",
        description = "An entry of the run's conf (repeatable).")
    Map<String, String> conf;

    @Option(
        names = "--run-id",
        paramLabel = "ID",
        description = "The DAG run id (default: Airflow names it).")
    Optional<String> runId;

    @Override
    public Integer call() {
      Map<String, Object> runConf = new LinkedHashMap<>();
      if (conf != null) {
        runConf.putAll(conf);
      }
      date.ifPresent(d -> runConf.put(JobLoader.RUN_DATE, d.toString()));
      String dagId = airflow.dagId(job);
      DagRun run = request(() -> airflow.client().trigger(dagId, runId, runConf));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          Locale.ROOT,
          "triggered %s run %s: %s%s%n",
          run.dagId().isEmpty() ? dagId : run.dagId(),
          run.runId(),
          run.state(),
          run.logicalDate().map(t -> ", logical date " + t).orElse(""));
      out.flush();
      return 0;
    }
  }

  @Command(name = "status", description = "Show a DAG run's state, or the job DAG's latest runs.")
  static final class StatusCommand implements Callable<Integer> {
    @ParentCommand AirflowCommand airflow;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "Job file or job name (the DAG id).")
    String job;

    @Parameters(index = "1", arity = "0..1", paramLabel = "RUN_ID", description = "A DAG run id.")
    Optional<String> runId;

    @Override
    public Integer call() {
      String dagId = airflow.dagId(job);
      List<DagRun> runs =
          runId.isPresent()
              ? List.of(request(() -> airflow.client().run(dagId, runId.get())))
              : request(() -> airflow.client().runs(dagId, LATEST_RUNS));
      PrintWriter printer = spec.commandLine().getOut();
      if (runs.isEmpty()) {
        printer.println(dagId + ": no runs");
      }
      Table table = new Table("RUN ID", "STATE", "LOGICAL DATE", "STARTED", "ENDED", "CONF");
      for (DagRun run : runs) {
        table.row(
            run.runId(),
            run.state(),
            time(run.logicalDate()),
            time(run.startDate()),
            time(run.endDate()),
            run.conf().isEmpty() ? "-" : new TreeMap<>(run.conf()).toString());
      }
      if (!runs.isEmpty()) {
        table.print(printer);
      }
      printer.flush();
      return 0;
    }
  }

  /**
   * The DAG id of a job: the name in its job file, or the argument itself when it is not a file.
   */
  private String dagId(String job) {
    Path file = Path.of(job);
    if (job.endsWith(".conf") || Files.isRegularFile(file)) {
      return lakeport.loader().load(file, Map.of(), JobLoader.Mode.VALIDATE).name();
    }
    return job;
  }

  private AirflowClient client() {
    return AirflowClient.of(lakeport.site().airflow());
  }

  /**
   * A duplicate run id is the caller's to fix (exit 2); Airflow's other refusals are external (exit
   * 3).
   */
  private static <T> T request(Supplier<T> request) {
    try {
      return request.get();
    } catch (AirflowException e) {
      if (e.kind() == AirflowException.Kind.CONFLICT) {
        throw new Failures.UserException(e.getMessage());
      }
      throw e;
    }
  }

  private static String time(Optional<Instant> time) {
    return time.map(Instant::toString).orElse("-");
  }
}
