package io.lakeport.run;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.lakeport.config.JobSpec;
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
    SourceRead source = Sources.of(job.source()).read(session);
    Observation read = new Observation("source-" + runId);
    Observation written = new Observation("sink-" + runId);
    CompiledPlan plan = PlanCompiler.compile(job, source.data(), Optional.of(read));
    Dataset<Row> output = plan.output().observe(written, count(lit(1)).as(ROWS_WRITTEN));
    try {
      FileSystem fs = new Path(sink.path()).getFileSystem(session.sparkContext().hadoopConfiguration());
      Path root = fs.makeQualified(new Path(sink.path()));
      useLakeportCommitterOutsideS3(session, fs);
      Optional<Manifest.FileSizing> sizing = fileSizing(sink, plan, fs, root);
      Set<String> before = Listing.dataFiles(fs, root);
      Sinks.of(sink).write(output, new WriteContext(job.name(), runId, sizing.map(Manifest.FileSizing::recordsPerFile)));
      List<String> added = new ArrayList<>(Listing.dataFiles(fs, root));
      added.removeAll(before);
      List<OutputFile> files = new FileInspector(root.toString(), sink.format(), sink.options(),
          session.sparkContext().hadoopConfiguration()).inspect(session, added);
      long rows = ((Number) observed(written).get(ROWS_WRITTEN)).longValue();
      checkRows(job, runId, rows, files);
      Long deltaVersion = sink.format() == SinkFormat.DELTA
          ? DeltaTable.forPath(session, sink.path()).history(1).select("version").head().getLong(0)
          : null;
      Manifest manifest = manifest(job, runId, source, plan, files, observed(read), rows, started, deltaVersion,
          sizing.orElse(null));
      Path manifestPath = Manifests.path(root, runId);
      writeManifest(fs, manifestPath, manifest);
      LOG.info("Run {} of job {} succeeded: {} rows, {} files, {} bytes in {} ms; manifest {}", runId, job.name(),
          rows, files.size(), manifest.totals().bytes(), manifest.durationMs(), manifestPath);
      return new RunResult(manifest, manifestPath.toString());
    } catch (IOException e) {
      throw RunException.cannot("write the export", job.name(), runId, e.getMessage(), e);
    } finally {
      session.sparkContext().clearJobGroup();
    }
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

  private static void checkRows(JobSpec job, String runId, long rows, List<OutputFile> files) {
    long inFiles = files.stream().mapToLong(OutputFile::rows).sum();
    if (inFiles != rows) {
      throw RunException.cannot("publish the export", job.name(), runId, "the files written hold " + inFiles
          + " rows but the write produced " + rows + "; another writer may be using " + job.sink().path(), null);
    }
  }

  private Manifest manifest(JobSpec job, String runId, SourceRead source, CompiledPlan plan, List<OutputFile> files,
      Map<String, Object> observed, long rows, Instant started, Long deltaVersion, Manifest.FileSizing sizing) {
    Instant finished = clock.instant();
    Map<String, Long> invalid = new LinkedHashMap<>();
    observed.forEach((key, value) -> {
      if (key.startsWith(PlanCompiler.INVALID_PREFIX)) {
        invalid.put(key.substring(PlanCompiler.INVALID_PREFIX.length()), value == null ? 0L : ((Number) value).longValue());
      }
    });
    long rowsRead = ((Number) observed.get(PlanCompiler.ROWS_READ)).longValue();
    SinkSpec sink = job.sink();
    Map<String, Object> params = new LinkedHashMap<>();
    for (Param p : job.params().values()) {
      params.put(p.name(), p.value());
    }
    List<ColumnInfo> schema = new ArrayList<>();
    for (StructField f : plan.output().schema().fields()) {
      schema.add(new ColumnInfo(f.name(), f.dataType().simpleString(), f.nullable()));
    }
    return new Manifest(Manifest.VERSION, job.name(), runId, job.file(), params, Versions.lakeport(),
        spark.version(), source.identity(),
        new SinkInfo(sink.format().name().toLowerCase(Locale.ROOT), sink.path(),
            sink.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'), sink.partitionBy(),
            sink.compression().orElse(null), deltaVersion),
        sizing, schema, totals(files, rows, rowsRead, invalid), Partitions.summarise(files),
        files, started.toString(), finished.toString(), Duration.between(started, finished).toMillis());
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
