package io.lakeport.run;

import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Param;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.plan.CompiledPlan;
import io.lakeport.plan.PlanCompiler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs export jobs in a Spark session, one {@link ExportRun} each: nothing is visible at the export
 * until the run's files are measured, checked and published; the manifest and {@code _SUCCESS} come
 * last.
 */
public final class ExportRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ExportRunner.class);

  /** The MDC keys of a run's lines: its job and run id. */
  public static final String JOB_KEY = "job";

  public static final String RUN_KEY = "run";

  /**
   * Spark copies a job's local properties named {@code mdc.<key>} into the MDC of its task threads
   * (as {@code mdc.<key>}); a listener finds the run of a Spark job by them too.
   */
  public static final String TASK_MDC = "mdc.";

  private final SparkSession spark;
  private final Clock clock;
  private final Duration leaseWait;
  private final SharedLeases leases;

  public ExportRunner(SparkSession spark, Clock clock) {
    this(spark, clock, Duration.ZERO, SharedLeases.NONE);
  }

  private ExportRunner(SparkSession spark, Clock clock, Duration leaseWait, SharedLeases leases) {
    this.spark = spark;
    this.clock = clock;
    this.leaseWait = leaseWait;
    this.leases = leases;
  }

  /**
   * A runner whose runs wait up to {@code wait} for the lease of an export that another run is
   * writing; by default they fail at once (exit code 3) naming that run.
   */
  public ExportRunner waitingForLease(Duration wait) {
    return new ExportRunner(spark, clock, wait, leases);
  }

  /**
   * A runner whose runs also take their export's lease in {@code leases}, shared by every process
   * (on any host) that uses the same run history; by default only this host's locks apply.
   */
  public ExportRunner sharingLeases(SharedLeases leases) {
    return new ExportRunner(spark, clock, leaseWait, leases);
  }

  /** The job's compiled plan in a session set to its time zone, for explain and preview. */
  public CompiledPlan plan(JobSpec job) {
    SparkSession session = Sessions.forJob(spark, job);
    // without the malformed-record marker, which a run's output never has
    return PlanCompiler.compile(job, SchemaCheck.inputs(session, job), Optional.empty());
  }

  public RunResult run(JobSpec job) {
    return run(job, RunId.next(clock));
  }

  /**
   * Runs {@code job} under a run id chosen by the caller (the scheduler's history store, or a
   * recorder that records the run before it starts), which must be unique: it names the manifest
   * and the staging folder.
   */
  public RunResult run(JobSpec job, String runId) {
    if (!RunId.isValid(runId)) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    String previousJob = MDC.get(JOB_KEY);
    String previousRun = MDC.get(RUN_KEY);
    MDC.put(JOB_KEY, job.name());
    MDC.put(RUN_KEY, runId);
    SparkSession session = Sessions.forJob(spark, job);
    SparkContext context = session.sparkContext();
    context.setJobGroup(
        runId, "lakeport " + job.name() + " run " + runId + " -> " + job.sink().path(), true);
    // Spark puts local properties named mdc.<key> into the MDC of the run's task threads
    context.setLocalProperty(TASK_MDC + JOB_KEY, job.name());
    context.setLocalProperty(TASK_MDC + RUN_KEY, runId);
    LOG.info(
        "Run {} of job {} started: {} -> {}",
        runId,
        job.name(),
        job.source().location(),
        job.sink().path());
    try {
      // every mistake the source's schema reveals, before the export is touched
      SchemaCheck.require(session, job);
      return new ExportRun(job, runId, session, clock, leaseWait, leases).execute();
    } catch (IOException e) {
      throw RunException.cannot("write the export", job.name(), runId, e.getMessage(), e);
    } catch (Exception e) {
      // Exception, not only RuntimeException: Spark's Scala code throws AnalysisException
      // undeclared
      Optional<JobConfigException> mistake = JobMistakes.of(job, e);
      if (mistake.isPresent()) {
        throw mistake.get();
      }
      throw e;
    } finally {
      context.clearJobGroup();
      context.setLocalProperty(TASK_MDC + JOB_KEY, null);
      context.setLocalProperty(TASK_MDC + RUN_KEY, null);
      restore(JOB_KEY, previousJob);
      restore(RUN_KEY, previousRun);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /**
   * Cancels the running Spark jobs of a run going on in this JVM (its job group is its run id); the
   * run then fails before publishing. Returns false when this JVM has no Spark session. A run
   * between two Spark jobs has none to cancel: callers that must stop it cancel again.
   */
  public static boolean cancel(String runId) {
    scala.Option<SparkSession> session = SparkSession.getDefaultSession();
    if (session.isEmpty()) {
      return false;
    }
    JavaSparkStatusTracker jobs =
        JavaSparkContext.fromSparkContext(session.get().sparkContext()).statusTracker();
    boolean running =
        Arrays.stream(jobs.getJobIdsForGroup(runId))
            .mapToObj(jobs::getJobInfo)
            .anyMatch(job -> job != null && job.status() == JobExecutionStatus.RUNNING);
    if (running) {
      session.get().sparkContext().cancelJobGroup(runId);
    }
    return true;
  }

  /**
   * The manifest of a published run of {@code job} for the same logical window (same {@code
   * window_start}) at its sink, if there is one: a backfill skips such windows.
   */
  public Optional<String> publishedWindow(JobSpec job) {
    Param start = job.params().get(JobLoader.WINDOW_START);
    if (start == null) {
      return Optional.empty();
    }
    try {
      Path root = new Path(job.sink().path());
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (Path path : Manifests.newestFirst(fs, fs.makeQualified(root))) {
        Optional<Manifest> manifest = Manifests.read(fs, path);
        if (manifest
            .filter(
                m ->
                    m.job().equals(job.name())
                        && m.window() != null
                        && m.window().start().equals(String.valueOf(start.value())))
            .isPresent()) {
          return Optional.of(path.toString());
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw RunException.cannot("look for published runs", job.name(), "-", e.getMessage(), e);
    }
  }

  /**
   * Metrics observed during the write; the write has finished, so they are there or never will be.
   */
  static Map<String, Object> observed(Observation observation) {
    try {
      return observation.getAsJava();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while reading the metrics of " + observation.name(), e);
    }
  }

  /** A count observed during the write; absent when Spark ran no task (an empty input). */
  static long metric(Map<String, Object> observed, String name) {
    Object value = observed.get(name);
    return value == null ? 0 : ((Number) value).longValue();
  }
}
