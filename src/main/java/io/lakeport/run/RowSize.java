package io.lakeport.run;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.SinkSpec;
import io.lakeport.manifest.Manifest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;

/**
 * An estimate of the bytes one output row takes in the sink's files, to turn a target file size
 * into rows per file. The previous run of the same sink, format and codec measured it exactly (its
 * manifest's bytes over rows); without one, Spark's size estimate for the output schema is used,
 * which overestimates compressed formats, so first files come out smaller than the target, never
 * larger.
 */
record RowSize(long bytes, Basis basis) {
  /** Where the estimate came from; recorded in the manifest. */
  enum Basis {
    PREVIOUS_RUN,
    SCHEMA
  }

  RowSize {
    requireNonNull(basis, "basis is null");
  }

  static RowSize estimate(StructType schema, Optional<Manifest> previous) {
    return previous
        .map(
            m ->
                new RowSize(
                    Math.max(1, m.totals().bytes() / m.totals().rows()), Basis.PREVIOUS_RUN))
        .orElseGet(() -> new RowSize(Math.max(1, schema.defaultSize()), Basis.SCHEMA));
  }

  /** Whether {@code manifest} measured rows written like the ones {@code sink} will write. */
  static boolean comparable(Manifest manifest, SinkSpec sink) {
    return manifest.totals().rows() > 0
        && manifest.sink().format().equals(sink.format().name().toLowerCase(Locale.ROOT))
        && Objects.equals(manifest.sink().compression(), sink.compression().orElse(null));
  }

  /** The basis as the manifest spells it: {@code previous-run} or {@code schema}. */
  String basisName() {
    return basis.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  long rowsPerFile(long targetBytes) {
    return Math.max(1, targetBytes / bytes);
  }
}
