package io.lakeport.sink;

import io.lakeport.config.SinkSpec;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * How a write spreads rows over tasks and files. Without a target size, a partitioned export is
 * repartitioned by its partition columns, so each partition folder is written by one task. With
 * {@code sink.target-file-size}, Spark's adaptive execution rebalances the rows instead (the
 * {@code REBALANCE} hint, with the target as advisory partition size): it splits a large partition
 * over several tasks and merges small ones, and each file is capped at the rows per file the
 * runner estimated from the target, so files come out near the target, neither one huge file nor
 * thousands of tiny ones.
 */
final class FileSizing {
  private static final String ADVISORY_SIZE = "spark.sql.adaptive.advisoryPartitionSizeInBytes";

  private FileSizing() {}

  static Dataset<Row> arrange(Dataset<Row> data, SinkSpec spec) {
    Column[] partitionColumns = spec.partitionBy().stream().map(functions::col).toArray(Column[]::new);
    if (spec.targetFileSize().isEmpty()) {
      return partitionColumns.length == 0 ? data : data.repartition(partitionColumns);
    }
    // The job runs in a session of its own (Sessions.forJob), so this setting stays with the job.
    data.sparkSession().conf().set(ADVISORY_SIZE, spec.targetFileSize().get());
    return data.hint("rebalance", (Object[]) partitionColumns);
  }

  /** The smaller of the job's {@code max-records-per-file} and the rows estimated for the target size. */
  static Optional<Long> recordsPerFile(SinkSpec spec, WriteContext context) {
    return Stream.of(spec.maxRecordsPerFile(), context.recordsPerFile())
        .flatMap(Optional::stream)
        .min(Long::compare);
  }
}
