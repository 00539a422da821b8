package io.lakeport.run;

import static java.util.Objects.requireNonNull;

/** The outcome of a successful run: its manifest and where that manifest was written. */
public record RunResult(Manifest manifest, String manifestPath) {
  public RunResult {
    requireNonNull(manifest, "manifest is null");
    requireNonNull(manifestPath, "manifestPath is null");
  }
}
