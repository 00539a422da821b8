package io.lakeport.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.lakeport.config.IncrementalSpec;
import io.lakeport.config.JobSpec;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.source.SourceRead;
import io.lakeport.source.Sources;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.Locale;
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

  private final JobSpec job;
  private final IncrementalSpec spec;
  private final Optional<String> after;
  private final Observation observation;
  private DataType columnType;

  private Increment(JobSpec job, Optional<String> after, String runId) {
    this.job = job;
    this.spec = job.incremental();
    this.after = after;
    this.observation = new Observation("increment-" + runId);
  }

  static Increment of(JobSpec job, FileSystem fs, Path root, String runId) throws IOException {
    if (job.incremental().mode() == IncrementalSpec.Mode.NONE) {
      return new Increment(job, Optional.empty(), runId);
    }
    String mode = modeName(job.incremental().mode());
    Optional<Manifest> last =
        Manifests.latest(
            fs,
            root,
            m ->
                m.job().equals(job.name())
                    && m.increment() != null
                    && m.increment().mode().equals(mode));
    return new Increment(job, last.map(m -> m.increment().upTo()), runId);
  }

  /** The source rows this run takes. */
  SourceRead read(SparkSession session) {
    return switch (spec.mode()) {
      case NONE -> Sources.of(job.source()).read(session);
      case CHANGE_FEED -> Sources.changes(job.source(), session, after.map(Long::parseLong));
      case WATERMARK -> watermark(Sources.of(job.source()).read(session));
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
    return switch (spec.mode()) {
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
