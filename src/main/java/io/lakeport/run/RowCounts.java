package io.lakeport.run;

import io.lakeport.config.QualitySpec;
import java.util.Locale;
import java.util.Optional;

/** The row-count rule: absolute bounds, and the change against the previous published run. */
final class RowCounts {
  private RowCounts() {}

  /** What the rows of this run breach, if anything, in words for the manifest and the error. */
  static Optional<String> breach(
      QualitySpec.RowCountRule rule, long rows, Optional<Long> previous) {
    if (rule.min().isPresent() && rows < rule.min().get()) {
      return Optional.of(rows + " rows, below min " + rule.min().get());
    }
    if (rule.max().isPresent() && rows > rule.max().get()) {
      return Optional.of(rows + " rows, above max " + rule.max().get());
    }
    if (previous.isEmpty() || previous.get() == 0) {
      return Optional.empty();
    }
    double change = (double) (rows - previous.get()) / previous.get();
    if (rule.maxDrop().isPresent() && -change > rule.maxDrop().get()) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "%d rows, %.1f%% fewer than the previous run's %d (max-drop %.1f%%)",
              rows,
              -change * 100,
              previous.get(),
              rule.maxDrop().get() * 100));
    }
    if (rule.maxRise().isPresent() && change > rule.maxRise().get()) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "%d rows, %.1f%% more than the previous run's %d (max-rise %.1f%%)",
              rows,
              change * 100,
              previous.get(),
              rule.maxRise().get() * 100));
    }
    return Optional.empty();
  }
}
