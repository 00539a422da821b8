package io.lakeport.api;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Secrets;
import io.lakeport.config.SinkSpec;
import io.lakeport.config.SourceSpec;
import io.lakeport.history.Trigger;
import io.lakeport.lifecycle.RunLifecycle;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.PublishedManifests;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.plan.CompiledPlan;
import io.lakeport.plan.SqlSyntax;
import io.lakeport.run.Acceleration;
import io.lakeport.run.ExportRunner;
import io.lakeport.run.JoinStrategies;
import io.lakeport.run.RunId;
import io.lakeport.run.RunResult;
import io.lakeport.run.SchemaDrifts;
import io.lakeport.run.Sessions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ExplainMode;

/**
 * One job file with the params of a run, immutable: {@link #param} and {@link #into} return a new
 * {@code Job}. Validating needs no Spark; explain, preview and run take the session to use.
 */
public final class Job {
  private final Lakeport lakeport;
  private final Path file;
  private final Map<String, String> params;
  private final Optional<String> sinkPath;

  Job(Lakeport lakeport, Path file, Map<String, String> params, Optional<String> sinkPath) {
    this.lakeport = requireNonNull(lakeport, "lakeport is null");
    this.file = requireNonNull(file, "file is null");
    this.params = Map.copyOf(params);
    this.sinkPath = requireNonNull(sinkPath, "sinkPath is null");
  }

  /** The job with a param set, e.g. {@code param("run_date", "2026-11-23")}. */
  public Job param(String name, String value) {
    Map<String, String> changed = new LinkedHashMap<>(params);
    changed.put(name, value);
    return new Job(lakeport, file, changed, sinkPath);
  }

  /** The job with these params set (the CLI's {@code --param}s). */
  public Job params(Map<String, String> values) {
    Map<String, String> changed = new LinkedHashMap<>(params);
    changed.putAll(values);
    return new Job(lakeport, file, changed, sinkPath);
  }

  /**
   * The job writing to {@code path} instead of its sink's path: a scratch location to try it out.
   */
  public Job into(String path) {
    return new Job(lakeport, file, params, Optional.of(path));
  }

  /**
   * The job loaded and checked as {@code lakeport validate} does (SQL syntax included), with this
   * run's params; every problem at once as a {@link JobConfigException}.
   */
  public JobSpec validate() {
    JobSpec job = new JobLoader(lakeport.site()).load(file, params, JobLoader.Mode.RUN);
    List<ConfigProblem> problems = SqlSyntax.check(job, lakeport.site().allowsJavaMethods());
    if (!problems.isEmpty()) {
      throw new JobConfigException(problems);
    }
    return sinkPath.map(path -> withSinkPath(job, path)).orElse(job);
  }

  /** Lakeport's plan in words, then Spark's physical plan (pushed filters, partition pruning). */
  public String explain(SparkSession spark) {
    JobSpec job = validate();
    CompiledPlan plan = plan(spark, job);
    StringBuilder text = new StringBuilder();
    text.append("== Lakeport plan: ").append(job.name()).append(" ==\n");
    if (job.combines()) {
      text.append("sources:\n");
      job.inputs()
          .forEach(
              input ->
                  text.append("  ")
                      .append(input.name())
                      .append(": ")
                      .append(described(input.source()))
                      .append('\n'));
    } else {
      text.append("source: ").append(described(job.source())).append('\n');
    }
    plan.steps().forEach(step -> text.append("  ").append(step).append('\n'));
    text.append("sink: ")
        .append(job.sink().format().name().toLowerCase(Locale.ROOT))
        .append(' ')
        .append(job.sink().path())
        .append(
            job.sink().partitionBy().isEmpty() ? "" : " partitioned by " + job.sink().partitionBy())
        .append("\n\n");
    text.append("== Spark physical plan ==\n");
    text.append(plan.output().queryExecution().explainString(ExplainMode.fromString("formatted")));
    if (job.combines()) {
      text.append("\n== Joins ==\n")
          .append(JoinStrategies.explain(plan.output().queryExecution().executedPlan()));
    }
    text.append("\n== Accelerator ==\n")
        .append(Acceleration.explain(spark, plan.output().queryExecution().executedPlan()));
    return text.toString();
  }

  private static String described(SourceSpec source) {
    return source.format().name().toLowerCase(Locale.ROOT) + ' ' + source.location();
  }

  /**
   * How the job's output schema changed between its last two published exports (the newest
   * manifests of the job at its sink), each change with the action its {@code schema-drift} policy
   * takes; empty with fewer than two. No Spark: the manifests say it.
   */
  public Optional<SchemaChange> schemaChange() throws IOException {
    JobSpec job = validate();
    List<Manifest> published = published(job, 2);
    if (published.size() < 2) {
      return Optional.empty();
    }
    Manifest newer = published.get(0);
    Manifest older = published.get(1);
    return Optional.of(
        new SchemaChange(
            older.runId(),
            "run " + newer.runId(),
            SchemaDrifts.compare(job, older.schema(), newer.schema(), "run " + older.runId())));
  }

  /**
   * How the output schema of the job's plan as it is now (compiled on its source, nothing read but
   * its schema) differs from its last published export, each change with the action its {@code
   * schema-drift} policy would take at the next run; empty when nothing is published yet.
   */
  public Optional<SchemaChange> schemaChange(SparkSession spark) throws IOException {
    JobSpec job = validate();
    List<Manifest> published = published(job, 1);
    if (published.isEmpty()) {
      return Optional.empty();
    }
    Manifest last = published.get(0);
    return Optional.of(
        new SchemaChange(
            last.runId(),
            "the job's plan",
            SchemaDrifts.compare(
                job,
                last.schema(),
                SchemaDrifts.columns(plan(spark, job).output().schema()),
                "run " + last.runId())));
  }

  /**
   * A schema compared: the run whose export it was compared with, what was compared with it (a
   * later run, or the job's plan), and the changes.
   */
  public record SchemaChange(String fromRun, String to, SchemaDrift drift) {}

  /** The job's newest published manifests at its sink, at most {@code wanted}, newest first. */
  private List<Manifest> published(JobSpec job, int wanted) throws IOException {
    return PublishedManifests.newestFirst(
        Sessions.hadoopConfiguration(lakeport.site()),
        job.sink().path(),
        m -> m.job().equals(job.name()),
        wanted);
  }

  /** The first {@code rows} rows the job would export; nothing is written. */
  public Dataset<Row> preview(SparkSession spark, int rows) {
    return plan(spark, validate()).output().limit(rows);
  }

  /**
   * Runs the job (published atomically, with its manifest), records it in the run history as a
   * manual run and announces it to the channels subscribed to it, as {@code lakeport run} does; a
   * history that cannot be written or a channel that does not answer does not stop the run.
   */
  public RunResult run(SparkSession spark) {
    JobSpec job = validate();
    try (RunLifecycle lifecycle =
        RunLifecycle.recording(lakeport.site(), lakeport.clock(), System.err::println)) {
      return lifecycle.export(
          new ExportRunner(spark, lakeport.clock()),
          job,
          RunId.next(lakeport.clock()),
          Trigger.MANUAL);
    }
  }

  private static CompiledPlan plan(SparkSession spark, JobSpec job) {
    return new ExportRunner(spark, Clock.systemUTC()).plan(job);
  }

  private static JobSpec withSinkPath(JobSpec job, String path) {
    SinkSpec s = job.sink();
    SinkSpec sink =
        new SinkSpec(
            s.format(),
            path,
            s.partitionBy(),
            s.mode(),
            s.compression(),
            s.maxRecordsPerFile(),
            s.targetFileSize(),
            s.options(),
            s.replaceWhere(),
            s.tableProperties(),
            s.fileName(),
            s.onEmpty(),
            s.takeOver(),
            s.origin(),
            s.keyOrigins());
    return new JobSpec(
        job.name(),
        job.description(),
        job.file(),
        job.timeZone(),
        job.window(),
        job.params(),
        job.source(),
        job.inputs(),
        job.plan(),
        sink,
        job.quality(),
        job.schemaDrift(),
        job.alerts(),
        job.incremental(),
        job.schedule(),
        job.notifications(),
        job.retention(),
        job.airflow(),
        job.fanOut());
  }

  @Override
  public String toString() {
    return "Job["
        + file
        + ", params "
        + maskedParamsOf(params)
        + sinkPath.map(p -> ", into " + p).orElse("")
        + "]";
  }

  private static Map<String, String> maskedParamsOf(Map<String, String> params) {
    Map<String, String> masked = new TreeMap<>();
    params.forEach(
        (name, value) -> masked.put(name, Secrets.isSecretName(name) ? Secrets.MASK : value));
    return masked;
  }
}
