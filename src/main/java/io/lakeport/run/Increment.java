package io.lakeport.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.lakeport.config.IncrementalSpec;
import io.lakeport.config.InputSpec;
import io.lakeport.config.JobSpec;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.source.SourceRead;
import io.lakeport.source.Sources;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The part of the source a run takes when the job is incremental. The starting point is what the
 * last published run of the job reached, as its manifest records it, so it advances only when a run
 * publishes: a failed or killed run leaves it where it was, and the next run takes the same rows
 * again. Watermarks: rows whose column is above the last maximum (less the lookback), and the new
 * maximum observed while reading; change feeds: the Delta versions after the last one read.
 */
final class Increment {
  private static final String MAX = "watermark_max";

  private final InputSpec input;
  private final IncrementalSpec spec;
  private final IncrementalSpec.Mode mode;
  private final Optional<String> after;
  private final Observation observation;
  private DataType columnType;

  private Increment(JobSpec job, InputSpec input, Optional<String> after, String runId) {
    this.input = input;
    this.spec = job.incremental();
    this.mode = spec.of(input.name()) ? spec.mode() : IncrementalSpec.Mode.NONE;
    this.after = after;
    this.observation = new Observation("increment-" + runId + "-" + input.name());
  }

  /**
   * The increment of {@code input} (of a job with several inputs, each has its own), from the last
   * published manifest at {@code root} that records one.
   */
  static Increment of(JobSpec job, InputSpec input, FileSystem fs, Path root, String runId)
      throws IOException {
    if (!job.incremental().of(input.name())) {
      return new Increment(job, input, Optional.empty(), runId);
    }
    String mode = modeName(job.incremental().mode());
    Optional<Manifest.Increment> last =
        Manifests.latest(
                fs,
                root,
                m -> m.job().equals(job.name()) && recorded(m, job, input, mode).isPresent())
            .flatMap(m -> recorded(m, job, input, mode));
    return new Increment(job, input, last.map(Manifest.Increment::upTo), runId);
  }

  /** The increment a manifest records for {@code input}, if it is of {@code mode}. */
  private static Optional<Manifest.Increment> recorded(
      Manifest m, JobSpec job, InputSpec input, String mode) {
    Optional<Manifest.Increment> increment =
        job.combines()
            ? Optional.ofNullable(m.inputs()).stream()
                .flatMap(List::stream)
                .filter(i -> i.name().equals(input.name()))
                .map(Manifest.Input::increment)
                .filter(Objects::nonNull)
                .findFirst()
            : Optional.ofNullable(m.increment());
    return increment.filter(i -> i.mode().equals(mode));
  }

  /** The source rows this run takes. */
  SourceRead read(SparkSession session) {
    return switch (mode) {
      case NONE -> Sources.of(input.source()).read(session);
      case CHANGE_FEED -> Sources.changes(input.source(), session, after.map(Long::parseLong));
      case WATERMARK -> watermark(Sources.of(input.source()).read(session));
    };
  }

  private SourceRead watermark(SourceRead source) {
    String column = spec.column().orElseThrow();
    columnType = source.data().schema().apply(column).dataType();
    Dataset<Row> data = source.data();
    if (after.isPresent()) {
      data = data.where(col(column).gt(lowerBound(after.get())));
    }
    return new SourceRead(
        data.observe(observation, max(col(column)).as(MAX)), source.identity(), source.stability());
  }

  /** The last watermark, less the lookback for timestamps and dates. */
  private Column lowerBound(String last) {
    Column value = lit(last).cast(columnType);
    long seconds = spec.lookback().toSeconds();
    if (seconds == 0) {
      return value;
    }
    if (columnType.equals(DataTypes.DateType)) {
      return org.apache.spark.sql.functions.date_sub(value, (int) spec.lookback().toDays());
    }
    return value.minus(expr("INTERVAL " + seconds + " SECONDS"));
  }

  /** What the manifest records after the write; null for jobs that are not incremental. */
  Manifest.Increment record(SourceRead source) {
    return switch (mode) {
      case NONE -> null;
      case CHANGE_FEED ->
          new Manifest.Increment(
              modeName(spec.mode()),
              null,
              after.orElse(null),
              String.valueOf(source.identity().get("version")),
              spec.lookback().toString());
      case WATERMARK ->
          new Manifest.Increment(
              modeName(spec.mode()),
              spec.column().orElseThrow(),
              after.orElse(null),
              reached().or(() -> after).orElse(null),
              spec.lookback().toString());
    };
  }

  /**
   * The highest value of the watermark column this run read, as text that casts back to its type.
   */
  private Optional<String> reached() {
    Object value = ExportRunner.observed(observation).get(MAX);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(
        value instanceof Timestamp t ? t.toInstant().toString() : String.valueOf(value));
  }

  private static String modeName(IncrementalSpec.Mode mode) {
    return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
