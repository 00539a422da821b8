package io.lakeport.source;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.SourceSpec;
import java.util.List;

/** Errors of this package, with the job line to fix. */
final class SourceErrors {
  private SourceErrors() {}

  static JobConfigException cannotRead(SourceSpec spec, String reason, String fix) {
    return new JobConfigException(
        List.of(
            new ConfigProblem(
                spec.origin(), "cannot read " + spec.location() + ": " + reason, fix)));
  }
}
