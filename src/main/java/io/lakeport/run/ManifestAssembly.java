package io.lakeport.run;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Param;
import io.lakeport.config.Secrets;
import io.lakeport.config.SinkSpec;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.plan.CompiledPlan;
import io.lakeport.plan.PlanCompiler;
import io.lakeport.source.SourceRead;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Puts a run's manifest together from the job, what was read and the files measured. */
final class ManifestAssembly {
  private final JobSpec job;
  private final String runId;
  private final SourceRead source;
  private final CompiledPlan plan;
  private final String sparkVersion;
  private final Instant started;
  private final Optional<SchemaDrift> drift;

  ManifestAssembly(
      JobSpec job,
      String runId,
      SourceRead source,
      CompiledPlan plan,
      String sparkVersion,
      Instant started,
      Optional<SchemaDrift> drift) {
    this.job = job;
    this.runId = runId;
    this.source = source;
    this.plan = plan;
    this.sparkVersion = sparkVersion;
    this.started = started;
    this.drift = drift;
  }

  Manifest manifest(
      List<OutputFile> files,
      Map<String, Object> observedRead,
      long rows,
      Long deltaVersion,
      Optional<Manifest.FileSizing> sizing,
      Manifest.Quality quality,
      Manifest.Increment increment,
      Manifest.Timings timings,
      Instant finished,
      List<Manifest.Input> inputs) {
    SinkSpec sink = job.sink();
    return new Manifest(
        Manifest.VERSION,
        job.name(),
        runId,
        job.file(),
        params(),
        window(),
        Versions.lakeport(),
        sparkVersion,
        source(),
        increment,
        new Manifest.SinkInfo(
            sink.format().name().toLowerCase(Locale.ROOT),
            sink.path(),
            sink.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
            sink.partitionBy(),
            sink.compression().orElse(null),
            deltaVersion),
        sizing.orElse(null),
        SchemaDrifts.columns(plan.output().schema()),
        totals(files, rows, observedRead),
        quality,
        Partitions.summarise(files),
        files,
        started.toString(),
        finished.toString(),
        Duration.between(started, finished).toMillis(),
        timings,
        drift.orElse(null),
        inputs);
  }

  /** What was read, with the columns the plan saw (lineage's input schema). */
  private Map<String, Object> source() {
    return described(source);
  }

  /** What was read, with the columns the plan saw (lineage's input schema). */
  static Map<String, Object> described(SourceRead source) {
    Map<String, Object> read = new LinkedHashMap<>(source.identity());
    // as maps, as a manifest read back holds them
    read.put(
        "schema",
        SchemaDrifts.columns(source.data().schema()).stream()
            .map(
                c ->
                    Map.<String, Object>of(
                        "name", c.name(), "type", c.type(), "nullable", c.nullable()))
            .toList());
    return read;
  }

  private Map<String, Object> params() {
    Map<String, Object> params = new LinkedHashMap<>();
    for (Param p : job.params().values()) {
      params.put(p.name(), Secrets.isSecretName(p.name()) ? Secrets.MASK : p.value());
    }
    return params;
  }

  private Manifest.LogicalWindow window() {
    Param runDate = job.params().get(JobLoader.RUN_DATE);
    return runDate == null
        ? null
        : new Manifest.LogicalWindow(
            String.valueOf(runDate.value()),
            String.valueOf(job.params().get(JobLoader.WINDOW_START).value()),
            String.valueOf(job.params().get(JobLoader.WINDOW_END).value()));
  }

  private static Manifest.Totals totals(
      List<OutputFile> files, long rows, Map<String, Object> observedRead) {
    Map<String, Long> invalid = new LinkedHashMap<>();
    observedRead.forEach(
        (key, value) -> {
          if (key.startsWith(PlanCompiler.INVALID_PREFIX)) {
            invalid.put(
                key.substring(PlanCompiler.INVALID_PREFIX.length()),
                value == null ? 0L : ((Number) value).longValue());
          }
        });
    long bytes = files.stream().mapToLong(OutputFile::bytes).sum();
    boolean known = !files.isEmpty() && files.stream().allMatch(f -> f.uncompressedBytes() != null);
    Long uncompressed =
        known ? files.stream().mapToLong(OutputFile::uncompressedBytes).sum() : null;
    Double ratio =
        known && uncompressed > 0 ? Math.round(bytes * 10_000.0 / uncompressed) / 10_000.0 : null;
    return new Manifest.Totals(
        rows,
        files.size(),
        bytes,
        ExportRunner.metric(observedRead, PlanCompiler.ROWS_READ),
        invalid,
        uncompressed,
        ratio);
  }
}
