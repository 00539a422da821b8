package io.lakeport.run;

import io.lakeport.config.SinkSpec;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.plan.CompiledPlan;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows per file for a sink's target file size, from the last comparable run's bytes per row or the
 * schema.
 */
final class FileSizingEstimate {
  private static final Logger LOG = LoggerFactory.getLogger(FileSizingEstimate.class);

  private FileSizingEstimate() {}

  static Optional<Manifest.FileSizing> of(
      SinkSpec sink, CompiledPlan plan, FileSystem fs, Path root) throws IOException {
    if (sink.targetFileSize().isEmpty()) {
      return Optional.empty();
    }
    long target = sink.targetFileSize().get();
    RowSize rowSize =
        RowSize.estimate(
            plan.output().schema(), Manifests.latest(fs, root, m -> RowSize.comparable(m, sink)));
    LOG.info(
        "Target file size {} bytes at {} bytes per row (basis: {}): {} rows per file",
        target,
        rowSize.bytes(),
        rowSize.basisName(),
        rowSize.rowsPerFile(target));
    return Optional.of(
        new Manifest.FileSizing(
            target, rowSize.bytes(), rowSize.basisName(), rowSize.rowsPerFile(target)));
  }
}
