package io.lakeport.run;

import static java.util.Objects.requireNonNull;

import io.lakeport.manifest.Manifest;
import java.util.Optional;

/**
 * The outcome of a run that did not fail: published (its manifest written at {@code manifestPath})
 * or skipped because it produced no rows and the job says {@code on-empty = skip} (nothing written;
 * the manifest describes the run but is not stored).
 */
public record RunResult(Status status, Manifest manifest, Optional<String> manifestPath) {
  /** Whether the run published an export. */
  public enum Status {
    PUBLISHED,
    SKIPPED
  }

  public RunResult {
    requireNonNull(status, "status is null");
    requireNonNull(manifest, "manifest is null");
    requireNonNull(manifestPath, "manifestPath is null");
  }

  static RunResult published(Manifest manifest, String manifestPath) {
    return new RunResult(Status.PUBLISHED, manifest, Optional.of(manifestPath));
  }

  static RunResult skipped(Manifest manifest) {
    return new RunResult(Status.SKIPPED, manifest, Optional.empty());
  }
}
