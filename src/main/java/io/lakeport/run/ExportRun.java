package io.lakeport.run;

import io.delta.tables.DeltaTable;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import io.lakeport.config.OnEmpty;
import io.lakeport.config.QualitySpec;
import io.lakeport.config.SinkFormat;
import io.lakeport.config.SinkSpec;
import io.lakeport.config.WriteMode;
import io.lakeport.fault.Failpoints;
import io.lakeport.manifest.Listing;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.OutputFile;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.plan.CompiledPlan;
import io.lakeport.plan.PlanCompiler;
import io.lakeport.plan.SqlParameters;
import io.lakeport.sink.LakeportCommitProtocol;
import io.lakeport.sink.MeasuredFile;
import io.lakeport.sink.Sinks;
import io.lakeport.sink.WriteContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a job: clean up after earlier attempts, read the source (pinned), compile the
 * plan, write the output (and quarantined rows) where the publication says, measure the files on
 * the executors, check rows and quality, publish, and write the manifest and {@code _SUCCESS} last.
 * Nothing is visible at the export before {@link Publication#publish}; a failure before it leaves
 * the previous export as it was.
 */
final class ExportRun {
  private static final Logger LOG = LoggerFactory.getLogger(ExportRun.class);
  private static final String COMMIT_PROTOCOL = "spark.sql.sources.commitProtocolClass";
  private static final String RULE_REJECTS = "rules";
  private static final String MALFORMED_REJECTS = "malformed";

  private final JobSpec job;
  private final SinkSpec sink;
  private final String runId;
  private final SparkSession session;
  private final Clock clock;
  private final Duration leaseWait;
  private final SharedLeases leases;
  private final Instant started;
  private final Observation read;
  private final QualityGate quality;

  /**
   * The source's metrics: rows read (the scans' count) and invalid values (observed); set by the
   * write.
   */
  private Map<String, Object> readMetrics = Map.of();

  /** Each input of a job with several, with the rows it read; set by the write. */
  private List<Manifest.Input> described;

  ExportRun(
      JobSpec job,
      String runId,
      SparkSession session,
      Clock clock,
      Duration leaseWait,
      SharedLeases leases) {
    this.leaseWait = leaseWait;
    this.leases = leases;
    this.job = job;
    this.sink = job.sink();
    this.runId = runId;
    this.session = session;
    this.clock = clock;
    this.started = clock.instant();
    this.read = new Observation("source-" + runId);
    this.quality = new QualityGate(job.quality(), runId);
  }

  RunResult execute() throws IOException {
    FileSystem fs =
        new Path(sink.path()).getFileSystem(session.sparkContext().hadoopConfiguration());
    Path root = fs.makeQualified(new Path(sink.path()));
    useLakeportCommitterOutsideS3(fs);
    try (ExportLease lease = ExportLease.acquire(fs, root, holder(), leases, leaseWait, clock)) {
      Claim.refuseForeign(fs, root, sink);
      refuseExistingExport(fs, root);
      boolean fresh = !fs.exists(root);
      try {
        Publication publication = Publication.of(fs, root, sink, runId);
        try {
          // under the lease every staging folder and trash at the root is a dead run's
          List<String> recovered = publication.recover();
          if (!recovered.isEmpty()) {
            LOG.info("Cleaned up after earlier attempts at {}: {}", root, recovered);
          }
          return write(fs, root, publication, lease);
        } finally {
          publication.abort();
          quality.release();
        }
      } catch (JobConfigException mistake) {
        // a job mistake found while writing (e.g. a type the format cannot hold) leaves no trace
        if (fresh) {
          Claim.withdraw(fs, root);
        }
        throw mistake;
      }
    }
  }

  private LeaseHolder holder() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown";
    }
    return new LeaseHolder(
        job.name(), runId, host, ProcessHandle.current().pid(), clock.instant().toString());
  }

  private RunResult write(FileSystem fs, Path root, Publication publication, ExportLease lease)
      throws IOException {
    RunInputs inputs = RunInputs.read(job, fs, root, runId, session);
    boolean standardizes = !job.plan().standardize().isEmpty();
    CompiledPlan plan =
        PlanCompiler.compile(
            job, inputs.data(), standardizes ? Optional.of(read) : Optional.empty());
    Dataset<Row> output = quality.apply(plan.output(), job, inputs.stability());
    Optional<Manifest> previous = Manifests.latest(fs, root, m -> m.job().equals(job.name()));
    // before anything is written: a refused change leaves the export as it was
    Optional<SchemaDrift> drift =
        SchemaDrifts.check(job, runId, session, plan.output().schema(), previous);
    Optional<Manifest.FileSizing> sizing = FileSizingEstimate.of(sink, plan, fs, root);
    Instant writing = clock.instant();
    // the folder is marked as Lakeport's before any data reaches it (on S3 the commit publishes)
    Claim.stake(fs, root, holder());
    try (ScanMetrics scans = ScanMetrics.listen(session)) {
      publication.prepareWrite();
      Sinks.of(sink)
          .write(
              output,
              new WriteContext(
                  job.name(),
                  runId,
                  publication.writePath().toString(),
                  publication.writeMode().orElse(sink.mode()),
                  sizing.map(Manifest.FileSizing::recordsPerFile),
                  sink.replaceWhere().map(where -> SqlParameters.bind(where, job.params())),
                  SchemaDrifts.evolution(job, drift)));
      readMetrics = new HashMap<>(standardizes ? ExportRunner.observed(read) : Map.of());
      List<ScanMetrics.Scan> scanned = scans.scans();
      readMetrics.put(
          PlanCompiler.ROWS_READ, scanned.stream().mapToLong(ScanMetrics.Scan::rows).sum());
      described = inputs.described(scanned);
    }
    Optional<String> rejectsPath = writeRejects(publication, inputs);
    Instant measuring = clock.instant();
    List<OutputFile> files = measure(publication);
    long rows = quality.written();
    checkRows(rows, files);
    Manifest.Quality checked =
        checkQuality(
            previous.map(m -> m.totals().rows()),
            rows,
            inputs,
            rejectsPath,
            writtenRows(publication, files, output));
    ManifestAssembly assembly =
        new ManifestAssembly(job, runId, inputs.first(), plan, session.version(), started, drift);
    Instant publishing = clock.instant();
    Manifest.Timings timings =
        new Manifest.Timings(
            millis(started, writing), millis(writing, measuring), millis(measuring, publishing), 0);
    // the manifest as it stands before publishing: of a run that publishes nothing, or pending
    Manifest unpublished =
        assembly.manifest(
            files,
            readMetrics,
            rows,
            null,
            sizing,
            checked,
            inputs.increment(),
            timings,
            clock.instant(),
            described);
    if (rows == 0 && sink.onEmpty() != OnEmpty.PUBLISH) {
      return empty(unpublished);
    }
    Failpoints.reach(Failpoints.STAGED);
    lease.ensureHeld();
    publication.publish(unpublished);
    Failpoints.reach(Failpoints.PUBLISHED);
    timings =
        new Manifest.Timings(
            timings.prepareMs(),
            timings.writeMs(),
            timings.inspectMs(),
            millis(publishing, clock.instant()));
    Manifest manifest =
        assembly.manifest(
            files,
            readMetrics,
            rows,
            deltaVersion(),
            sizing,
            checked,
            inputs.increment(),
            timings,
            clock.instant(),
            described);
    Path manifestPath = Manifests.path(root, runId);
    Manifests.write(fs, manifestPath, manifest);
    publication.complete(manifest, manifestPath);
    LOG.info(
        "Run {} of job {} published: {} rows, {} files, {} bytes in {} ms; manifest {}",
        runId,
        job.name(),
        rows,
        files.size(),
        manifest.totals().bytes(),
        manifest.durationMs(),
        manifestPath);
    return RunResult.published(manifest, manifestPath.toString());
  }

  /**
   * The published-to-be files with bytes, rows and SHA-256: as the write tasks measured them before
   * committing, or, for a committer that does not (S3, Delta) or when the tasks' files are not
   * exactly the files staged, in a measuring job of one task per file.
   */
  private List<OutputFile> measure(Publication publication) throws IOException {
    List<String> staged = publication.files();
    Optional<List<MeasuredFile>> measured = LakeportCommitProtocol.measured(runId);
    if (measured.isPresent()) {
      Map<String, MeasuredFile> byPath =
          measured.get().stream()
              .collect(Collectors.toMap(MeasuredFile::path, file -> file, (a, b) -> a));
      if (byPath.size() == measured.get().size() && byPath.keySet().equals(new HashSet<>(staged))) {
        return staged.stream().map(path -> FileInspector.of(byPath.get(path))).toList();
      }
      LOG.warn(
          "Run {}: the write tasks measured {} files but {} are staged; measuring the staged files again",
          runId,
          measured.get().size(),
          staged.size());
    }
    session
        .sparkContext()
        .setJobDescription("lakeport " + job.name() + " run " + runId + ": measure files");
    return new FileInspector(
            publication.filesRoot().toString(),
            sink.format(),
            sink.options(),
            session.sparkContext().hadoopConfiguration())
        .inspect(session, staged);
  }

  /**
   * Rows set aside, as JSON lines with the rules and reasons, beside the data: rows that failed a
   * quarantine rule in {@code rules/}, source records that could not be parsed in {@code
   * malformed/}.
   */
  private Optional<String> writeRejects(Publication publication, RunInputs inputs) {
    session
        .sparkContext()
        .setJobDescription("lakeport " + job.name() + " run " + runId + ": quarantined rows");
    boolean quarantined =
        quality.writeRejects(new Path(publication.rejectsWritePath(), RULE_REJECTS).toString());
    inputs.writeMalformed(new Path(publication.rejectsWritePath(), MALFORMED_REJECTS).toString());
    return quarantined || inputs.malformed() > 0
        ? Optional.of(publication.rejectsPath().toString())
        : Optional.empty();
  }

  /**
   * The rows this run wrote, read back from its Parquet files, for unique-key checks: reading the
   * key columns of the written files costs a fraction of computing the plan again. Only the columns
   * the files hold (a partition column is in the folder names). Empty where that would not be
   * cheaper or not exact: formats that are not columnar, Delta (whose files may name columns by
   * their physical names), jobs without a unique rule, and paths Spark would expand as globs.
   */
  private Optional<Dataset<Row>> writtenRows(
      Publication publication, List<OutputFile> files, Dataset<Row> output) {
    boolean unique =
        job.quality().rules().stream().anyMatch(rule -> rule instanceof QualitySpec.UniqueRule);
    if (!unique || sink.format() != SinkFormat.PARQUET || files.isEmpty()) {
      return Optional.empty();
    }
    String[] paths =
        files.stream()
            .map(file -> new Path(publication.filesRoot(), file.path()).toString())
            .toArray(String[]::new);
    if (Arrays.stream(paths).anyMatch(ExportRun::globbed)) {
      return Optional.empty();
    }
    StructType held =
        new StructType(
            Arrays.stream(output.schema().fields())
                .filter(field -> !sink.partitionBy().contains(field.name()))
                .toArray(StructField[]::new));
    return Optional.of(session.read().schema(held).parquet(paths));
  }

  /** Whether Spark's reader would expand {@code path} as a glob pattern. */
  private static boolean globbed(String path) {
    return path.chars().anyMatch(c -> "{}[]*?\\".indexOf(c) >= 0);
  }

  /** Evaluates the quality rules; a failed one stops the run before anything is published. */
  private Manifest.Quality checkQuality(
      Optional<Long> previous,
      long rows,
      RunInputs inputs,
      Optional<String> rejectsPath,
      Optional<Dataset<Row>> writtenRows) {
    if (job.quality().rules().isEmpty() && !inputs.checksMalformed()) {
      return null;
    }
    List<Manifest.RuleResult> results = new ArrayList<>();
    if (inputs.checksMalformed()) {
      // the scans count every record they read, the malformed ones too
      long read = ExportRunner.metric(readMetrics, PlanCompiler.ROWS_READ);
      results.add(
          QualityGate.result(
              MalformedRecords.RULE,
              "parse",
              QualitySpec.Action.QUARANTINE,
              read,
              inputs.malformed(),
              job.quality().maxFailedRatio(),
              null));
    }
    results.addAll(quality.evaluate(rows, previous, writtenRows));
    long rejected = quality.rejected() + inputs.malformed();
    List<Manifest.RuleResult> failed =
        results.stream().filter(r -> r.outcome().equals("failed")).toList();
    results.stream()
        .filter(r -> !r.outcome().equals("passed"))
        .forEach(
            r ->
                LOG.info(
                    "Quality rule {}: {} of {} failed ({})",
                    r.rule(),
                    r.failed(),
                    r.checked(),
                    r.outcome()));
    if (!failed.isEmpty()) {
      throw RunException.cannot(
          "publish the export",
          job.name(),
          runId,
          "quality rules failed, so nothing was published: "
              + failed.stream().map(ExportRun::describe).collect(Collectors.joining("; ")),
          null);
    }
    return new Manifest.Quality(results, rejected, rejected == 0 ? null : rejectsPath.orElse(null));
  }

  private static String describe(Manifest.RuleResult r) {
    if (r.detail() != null) {
      return r.rule() + ": " + r.detail();
    }
    return String.format(
        Locale.ROOT,
        "%s: %,d of %,d rows (%.2f%%) failed, above max-failed-ratio %.2f%%",
        r.rule(),
        r.failed(),
        r.checked(),
        r.failedRatio() * 100,
        r.maxFailedRatio() * 100);
  }

  /** A run without rows: skipped (nothing published) or failed, as {@code sink.on-empty} says. */
  private RunResult empty(Manifest described) {
    if (sink.onEmpty() == OnEmpty.SKIP) {
      LOG.info(
          "Run {} of job {} produced no rows; nothing published (sink.on-empty = skip)",
          runId,
          job.name());
      return RunResult.skipped(described);
    }
    throw RunException.cannot(
        "publish the export",
        job.name(),
        runId,
        "the run produced no rows ("
            + described.totals().rowsRead()
            + " rows read), so nothing was published. If an empty export is expected, "
            + "set sink.on-empty = skip (publish nothing) or publish (an empty export with its manifest)",
        null);
  }

  private Long deltaVersion() {
    return sink.format() == SinkFormat.DELTA
        ? DeltaTable.forPath(session, sink.path()).history(1).select("version").head().getLong(0)
        : null;
  }

  /**
   * With spark-hadoop-cloud on the class path, Spark 4.1 writes every scheme through
   * PathOutputCommitProtocol, which on file:// silently ignores dynamic partition overwrite and
   * knows no file-name templates; outside S3 the classic protocol (extended with templates) is
   * used.
   */
  private void useLakeportCommitterOutsideS3(FileSystem fs) {
    if (!fs.getUri().getScheme().startsWith("s3")) {
      session.conf().set(COMMIT_PROTOCOL, LakeportCommitProtocol.class.getName());
    }
  }

  /** {@code error-if-exists}: refused before anything is written when the root holds data files. */
  private void refuseExistingExport(FileSystem fs, Path root) throws IOException {
    if (sink.mode() == WriteMode.ERROR_IF_EXISTS && !Listing.dataFiles(fs, root).isEmpty()) {
      throw new JobConfigException(
          List.of(
              new ConfigProblem(
                  sink.origin(),
                  "cannot write "
                      + sink.path()
                      + ": it already holds an export and sink.mode is error-if-exists",
                  "Choose another path, or set sink.mode to overwrite-partitions, overwrite or append.")));
    }
  }

  private void checkRows(long rows, List<OutputFile> files) {
    long inFiles = files.stream().mapToLong(OutputFile::rows).sum();
    if (inFiles != rows) {
      throw RunException.cannot(
          "publish the export",
          job.name(),
          runId,
          "the files written hold "
              + inFiles
              + " rows but the write produced "
              + rows
              + "; another writer may be using "
              + sink.path(),
          null);
    }
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }
}
