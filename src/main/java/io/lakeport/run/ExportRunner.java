package io.lakeport.run;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.OnEmpty;
import io.lakeport.config.WriteMode;
import io.lakeport.fault.Failpoints;
import io.lakeport.config.Param;
import io.lakeport.config.SinkFormat;
import io.lakeport.config.SinkSpec;
import io.delta.tables.DeltaTable;
import io.lakeport.plan.CompiledPlan;
import io.lakeport.plan.PlanCompiler;
import io.lakeport.run.Manifest.ColumnInfo;
import io.lakeport.run.Manifest.SinkInfo;
import io.lakeport.sink.LakeportCommitProtocol;
import io.lakeport.sink.Sinks;
import io.lakeport.sink.WriteContext;
import io.lakeport.source.SourceRead;
import io.lakeport.source.Sources;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs export jobs in a Spark session: reads the source (pinned), compiles the plan, writes the
 * sink in one Spark job, measures the files written on the executors, checks their rows against
 * the rows counted while writing, and writes the manifest last.
 */
public final class ExportRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ExportRunner.class);
  private static final String ROWS_WRITTEN = "rows_written";
  /** Params whose names say they hold a secret are masked in the manifest. */
  private static final java.util.regex.Pattern SECRET_NAME =
      java.util.regex.Pattern.compile("(?i)(password|passwd|secret|token|credential|api_?key|private_?key)");
  private static final String MASK = "****";
  private static final String COMMIT_PROTOCOL = "spark.sql.sources.commitProtocolClass";

  private final SparkSession spark;
  private final Clock clock;

  public ExportRunner(SparkSession spark, Clock clock) {
    this.spark = spark;
    this.clock = clock;
  }

  /** The job's compiled plan in a session set to its time zone, for explain and preview. */
  public CompiledPlan plan(JobSpec job) {
    SparkSession session = Sessions.forJob(spark, job);
    return PlanCompiler.compile(job, Sources.of(job.source()).read(session).data(), Optional.empty());
  }

  public RunResult run(JobSpec job) {
    String runId = RunId.next(clock);
    MDC.put("job", job.name());
    MDC.put("run", runId);
    try {
      return run(job, runId);
    } finally {
      MDC.remove("job");
      MDC.remove("run");
    }
  }

  private RunResult run(JobSpec job, String runId) {
    Instant started = clock.instant();
    SinkSpec sink = job.sink();
    SparkSession session = Sessions.forJob(spark, job);
    session.sparkContext().setJobGroup(runId, "lakeport " + job.name() + " run " + runId + " -> " + sink.path(), true);
    LOG.info("Run {} of job {} started: {} -> {}", runId, job.name(), job.source().location(), sink.path());
    Publication publication = null;
    try {
      FileSystem fs = new Path(sink.path()).getFileSystem(session.sparkContext().hadoopConfiguration());
      Path root = fs.makeQualified(new Path(sink.path()));
      useLakeportCommitterOutsideS3(session, fs);
      refuseExistingExport(sink, fs, root);
      publication = Publication.of(fs, root, sink, runId);
      List<String> recovered = publication.recover();
      if (!recovered.isEmpty()) {
        LOG.info("Cleaned up after earlier attempts at {}: {}", root, recovered);
      }
      SourceRead source = Sources.of(job.source()).read(session);
      Observation read = new Observation("source-" + runId);
      Observation written = new Observation("sink-" + runId);
      CompiledPlan plan = PlanCompiler.compile(job, source.data(), Optional.of(read));
      Dataset<Row> output = plan.output().observe(written, count(lit(1)).as(ROWS_WRITTEN));
      Optional<Manifest.FileSizing> sizing = fileSizing(sink, plan, fs, root);
      Instant writing = clock.instant();
      Sinks.of(sink).write(output, new WriteContext(job.name(), runId, publication.writePath().toString(),
          publication.writeMode().orElse(sink.mode()), sizing.map(Manifest.FileSizing::recordsPerFile)));
      Instant inspecting = clock.instant();
      List<OutputFile> files = new FileInspector(publication.filesRoot().toString(), sink.format(), sink.options(),
          session.sparkContext().hadoopConfiguration()).inspect(session, publication.files());
      long rows = metric(observed(written), ROWS_WRITTEN);
      checkRows(job, runId, rows, files);
      Instant publishing = clock.instant();
      Manifest.Timings timings = new Manifest.Timings(millis(started, writing), millis(writing, inspecting),
          millis(inspecting, publishing), 0);
      if (rows == 0 && sink.onEmpty() != OnEmpty.PUBLISH) {
        publication.abort();
        return empty(job, runId, manifest(job, runId, source, plan, files, observed(read), rows, started, null,
            sizing.orElse(null), timings));
      }
      Failpoints.reach(Failpoints.STAGED);
      publication.publish();
      Failpoints.reach(Failpoints.PUBLISHED);
      timings = new Manifest.Timings(timings.prepareMs(), timings.writeMs(), timings.inspectMs(),
          millis(publishing, clock.instant()));
      Long deltaVersion = sink.format() == SinkFormat.DELTA
          ? DeltaTable.forPath(session, sink.path()).history(1).select("version").head().getLong(0)
          : null;
      Manifest manifest = manifest(job, runId, source, plan, files, observed(read), rows, started, deltaVersion,
          sizing.orElse(null), timings);
      Path manifestPath = Manifests.path(root, runId);
      writeManifest(fs, manifestPath, manifest);
      publication.complete(manifest, manifestPath);
      LOG.info("Run {} of job {} published: {} rows, {} files, {} bytes in {} ms; manifest {}", runId, job.name(),
          rows, files.size(), manifest.totals().bytes(), manifest.durationMs(), manifestPath);
      return RunResult.published(manifest, manifestPath.toString());
    } catch (IOException e) {
      throw RunException.cannot("write the export", job.name(), runId, e.getMessage(), e);
    } finally {
      if (publication != null) {
        publication.abort();
      }
      session.sparkContext().clearJobGroup();
    }
  }

  /** A run without rows: skipped (nothing published) or failed, as {@code sink.on-empty} says. */
  private static RunResult empty(JobSpec job, String runId, Manifest described) {
    if (job.sink().onEmpty() == OnEmpty.SKIP) {
      LOG.info("Run {} of job {} produced no rows; nothing published (sink.on-empty = skip)", runId, job.name());
      return RunResult.skipped(described);
    }
    throw RunException.cannot("publish the export", job.name(), runId, "the run produced no rows ("
        + described.totals().rowsRead() + " rows read), so nothing was published. If an empty export is expected, "
        + "set sink.on-empty = skip (publish nothing) or publish (an empty export with its manifest)", null);
  }

  /** {@code error-if-exists}: refused before anything is written when the root holds data files. */
  private static void refuseExistingExport(SinkSpec sink, FileSystem fs, Path root) throws IOException {
    if (sink.mode() == WriteMode.ERROR_IF_EXISTS && !Listing.dataFiles(fs, root).isEmpty()) {
      throw new JobConfigException(List.of(new ConfigProblem(sink.origin(), "cannot write " + sink.path()
          + ": it already holds an export and sink.mode is error-if-exists",
          "Choose another path, or set sink.mode to overwrite-partitions, overwrite or append.")));
    }
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  /** Rows per file for a target file size, from the last comparable run's bytes per row or the schema. */
  private static Optional<Manifest.FileSizing> fileSizing(SinkSpec sink, CompiledPlan plan, FileSystem fs, Path root)
      throws IOException {
    if (sink.targetFileSize().isEmpty()) {
      return Optional.empty();
    }
    long target = sink.targetFileSize().get();
    RowSize rowSize = RowSize.estimate(plan.output().schema(),
        Manifests.latest(fs, root, m -> RowSize.comparable(m, sink)));
    LOG.info("Target file size {} bytes at {} bytes per row (estimated from the {}): {} rows per file", target,
        rowSize.bytes(), rowSize.basisName(), rowSize.rowsPerFile(target));
    return Optional.of(new Manifest.FileSizing(target, rowSize.bytes(), rowSize.basisName(),
        rowSize.rowsPerFile(target)));
  }

  /**
   * With spark-hadoop-cloud on the class path, Spark 4.1 writes every scheme through
   * PathOutputCommitProtocol, which on file:// silently ignores dynamic partition overwrite: a re-run
   * then adds its files beside the old ones instead of replacing them. Outside S3 the classic
   * protocol (extended with file-name templates) replaces partitions as asked.
   */
  private static void useLakeportCommitterOutsideS3(SparkSession session, FileSystem fs) {
    if (!fs.getUri().getScheme().startsWith("s3")) {
      session.conf().set(COMMIT_PROTOCOL, LakeportCommitProtocol.class.getName());
    }
  }

  /** Metrics observed during the write; the write has finished, so they are there or never will be. */
  private static Map<String, Object> observed(Observation observation) {
    try {
      return observation.getAsJava();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the metrics of " + observation.name(), e);
    }
  }

  /** A count observed during the write; absent when Spark ran no task (an empty input). */
  private static long metric(Map<String, Object> observed, String name) {
    Object value = observed.get(name);
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static void checkRows(JobSpec job, String runId, long rows, List<OutputFile> files) {
    long inFiles = files.stream().mapToLong(OutputFile::rows).sum();
    if (inFiles != rows) {
      throw RunException.cannot("publish the export", job.name(), runId, "the files written hold " + inFiles
          + " rows but the write produced " + rows + "; another writer may be using " + job.sink().path(), null);
    }
  }

  private Manifest manifest(JobSpec job, String runId, SourceRead source, CompiledPlan plan, List<OutputFile> files,
      Map<String, Object> observed, long rows, Instant started, Long deltaVersion, Manifest.FileSizing sizing,
      Manifest.Timings timings) {
    Instant finished = clock.instant();
    Map<String, Long> invalid = new LinkedHashMap<>();
    observed.forEach((key, value) -> {
      if (key.startsWith(PlanCompiler.INVALID_PREFIX)) {
        invalid.put(key.substring(PlanCompiler.INVALID_PREFIX.length()), value == null ? 0L : ((Number) value).longValue());
      }
    });
    long rowsRead = metric(observed, PlanCompiler.ROWS_READ);
    SinkSpec sink = job.sink();
    Map<String, Object> params = new LinkedHashMap<>();
    for (Param p : job.params().values()) {
      params.put(p.name(), SECRET_NAME.matcher(p.name()).find() ? MASK : p.value());
    }
    List<ColumnInfo> schema = new ArrayList<>();
    for (StructField f : plan.output().schema().fields()) {
      schema.add(new ColumnInfo(f.name(), f.dataType().simpleString(), f.nullable()));
    }
    return new Manifest(Manifest.VERSION, job.name(), runId, job.file(), params, window(job), Versions.lakeport(),
        spark.version(), source.identity(),
        new SinkInfo(sink.format().name().toLowerCase(Locale.ROOT), sink.path(),
            sink.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'), sink.partitionBy(),
            sink.compression().orElse(null), deltaVersion),
        sizing, schema, totals(files, rows, rowsRead, invalid), Partitions.summarise(files),
        files, started.toString(), finished.toString(), Duration.between(started, finished).toMillis(), timings);
  }

  private static Manifest.LogicalWindow window(JobSpec job) {
    Param runDate = job.params().get(JobLoader.RUN_DATE);
    return runDate == null ? null : new Manifest.LogicalWindow(String.valueOf(runDate.value()),
        String.valueOf(job.params().get(JobLoader.WINDOW_START).value()),
        String.valueOf(job.params().get(JobLoader.WINDOW_END).value()));
  }

  private static Manifest.Totals totals(List<OutputFile> files, long rows, long rowsRead, Map<String, Long> invalid) {
    long bytes = files.stream().mapToLong(OutputFile::bytes).sum();
    boolean known = !files.isEmpty() && files.stream().allMatch(f -> f.uncompressedBytes() != null);
    Long uncompressed = known ? files.stream().mapToLong(OutputFile::uncompressedBytes).sum() : null;
    Double ratio = known && uncompressed > 0 ? Math.round(bytes * 10_000.0 / uncompressed) / 10_000.0 : null;
    return new Manifest.Totals(rows, files.size(), bytes, rowsRead, invalid, uncompressed, ratio);
  }

  private static void writeManifest(FileSystem fs, Path path, Manifest manifest) throws IOException {
    Path temporary = new Path(path.getParent(), "." + path.getName() + ".tmp");
    try (OutputStream out = fs.create(temporary, true)) {
      out.write(manifest.toJson());
    }
    if (!fs.rename(temporary, path)) {
      throw new IOException("could not rename " + temporary + " to " + path);
    }
  }
}
