package io.lakeport.sink;

import io.lakeport.config.SinkSpec;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * How a write spreads rows over tasks and files. A partitioned export is rebalanced by its
 * partition columns through Spark's adaptive execution (the {@code REBALANCE} hint): the rows of a
 * partition value go to one task, so a folder gets one file, unless the value holds more than the
 * advisory partition size ({@code spark.sql.adaptive.advisoryPartitionSizeInBytes}, 64 MB by
 * default), when it is split over several tasks; small values are merged into one task. So a big
 * day is not written by one task while the other cores wait, and many small days do not make
 * thousands of tiny files. A plain repartition by the partition columns, the usual hand-written
 * choice, writes each value with exactly one task however large it is.
 *
 * <p>With {@code sink.target-file-size}, the target is the advisory size, unpartitioned exports are
 * rebalanced too, and each file is capped at the rows per file the runner estimated from the
 * target, so files come out near the target.
 */
final class FileSizing {
  private static final String ADVISORY_SIZE = "spark.sql.adaptive.advisoryPartitionSizeInBytes";

  private FileSizing() {}

  static Dataset<Row> arrange(Dataset<Row> data, SinkSpec spec) {
    Column[] partitionColumns =
        spec.partitionBy().stream().map(functions::col).toArray(Column[]::new);
    if (spec.targetFileSize().isEmpty()) {
      return partitionColumns.length == 0
          ? data
          : data.hint("rebalance", (Object[]) partitionColumns);
    }
    // The job runs in a session of its own (Sessions.forJob), so this setting stays with the job.
    data.sparkSession().conf().set(ADVISORY_SIZE, spec.targetFileSize().get());
    return data.hint("rebalance", (Object[]) partitionColumns);
  }

  /**
   * The smaller of the job's {@code max-records-per-file} and the rows estimated for the target
   * size.
   */
  static Optional<Long> recordsPerFile(SinkSpec spec, WriteContext context) {
    return Stream.of(spec.maxRecordsPerFile(), context.recordsPerFile())
        .flatMap(Optional::stream)
        .min(Long::compare);
  }
}
