package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.failure.ExitCode;
import io.lakeport.history.Trigger;
import io.lakeport.lifecycle.RunLifecycle;
import io.lakeport.retention.Retention;
import io.lakeport.run.ExportRunner;
import io.lakeport.run.RunResult;
import io.lakeport.run.Sessions;
import io.lakeport.schedule.launch.InProcessRuns;
import io.lakeport.schedule.launch.LaunchOutcome;
import io.lakeport.schedule.launch.LaunchRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * The scheduler's runs in its own JVM, called directly: the job loaded with the request's params,
 * exported on the process's Spark session (or its retention applied), under the run id the
 * scheduler gave it, through the {@link RunLifecycle} every run goes through. The scheduler records
 * and announces the run from the outcome. Failures come back as outcomes with the exit code and the
 * first line the command line would print.
 */
public final class LaunchedRuns implements InProcessRuns {
  private final Optional<Path> siteConf;
  private final Clock clock;
  private final UnaryOperator<Site> command;

  /**
   * Runs with the site settings at {@code siteConf} (else the default ones, as the command line
   * reads them).
   */
  public LaunchedRuns(Optional<Path> siteConf, Clock clock) {
    this(siteConf, clock, UnaryOperator.identity());
  }

  /**
   * As {@link #LaunchedRuns(Optional, Clock)}, with {@code command} applied to the site settings:
   * the scheduler command's options over them ({@code --accelerator}).
   */
  LaunchedRuns(Optional<Path> siteConf, Clock clock, UnaryOperator<Site> command) {
    this.siteConf = siteConf;
    this.clock = clock;
    this.command = command;
  }

  @Override
  public LaunchOutcome run(LaunchRequest request) {
    try {
      Site site = command.apply(Site.load(siteConf.or(Lakeport::defaultSiteConf)));
      return switch (request.kind()) {
        case EXPORT -> export(site, request);
        case RETENTION -> retention(site, request);
      };
    } catch (Exception e) {
      // Exception, not only RuntimeException:
      // Spark's Scala code throws undeclared checked exceptions
      int code = ExitCode.of(e).code();
      StringWriter printed = new StringWriter();
      Failures.print(new PrintWriter(printed), e, code, Failures.Detail.BRIEF);
      return new LaunchOutcome(
          LaunchOutcome.State.FAILED,
          Optional.of(code),
          printed.toString().lines().findFirst().orElse(e.getClass().getSimpleName()));
    }
  }

  @Override
  public void cancel(String runId) {
    ExportRunner.cancel(runId);
  }

  private LaunchOutcome export(Site site, LaunchRequest request) {
    JobSpec job =
        JobFiles.load(new JobLoader(site), request.jobFile(), request.params(), JobLoader.Mode.RUN);
    SparkSession spark = Sessions.create(site, Optional.empty());
    ProgressListener.install(spark.sparkContext());
    try (RunLifecycle lifecycle = RunLifecycle.underScheduler(site, clock)) {
      RunResult result =
          lifecycle.export(new ExportRunner(spark, clock), job, request.runId(), Trigger.SCHEDULE);
      return new LaunchOutcome(
          LaunchOutcome.State.SUCCEEDED,
          Optional.of(0),
          "",
          Optional.of(RunLifecycle.written(result)));
    }
  }

  private LaunchOutcome retention(Site site, LaunchRequest request) throws IOException {
    RetentionCommand.Base.Jobs jobs =
        RetentionCommand.Base.jobs(new JobLoader(site), List.of(request.jobFile()));
    JobSpec job = jobs.selected().get(0);
    try (RetentionCommand.Base.SparkHolder spark = new RetentionCommand.Base.SparkHolder(site);
        RunLifecycle lifecycle = RunLifecycle.underScheduler(site, clock)) {
      Retention retention = RetentionCommand.Base.retention(site, spark, clock);
      RunLifecycle.Retained retained =
          lifecycle.retention(
              retention, job, jobs.othersThan(job), request.runId(), Trigger.SCHEDULE);
      if (retained.exitCode() != ExitCode.OK) {
        return new LaunchOutcome(
            LaunchOutcome.State.FAILED, Optional.of(retained.exitCode().code()), retained.error());
      }
      return new LaunchOutcome(
          LaunchOutcome.State.SUCCEEDED,
          Optional.of(0),
          "",
          Optional.of(RunLifecycle.written(retained.result())));
    }
  }
}
