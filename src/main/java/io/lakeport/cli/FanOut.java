package io.lakeport.cli;

import io.lakeport.config.FanOutSpec;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs of a job that fans out ({@code fan-out}): one per value, each loaded with the parameter
 * set to its value (so each has its own export path, checked like any param). A command that sets
 * the parameter itself ({@code --param tenant=acme}) runs that value only.
 */
final class FanOut {
  private FanOut() {}

  static List<JobSpec> runs(JobLoader loader, Path file, Map<String, String> params) {
    Optional<FanOutSpec> fanOut =
        JobFiles.load(loader, file, params, JobLoader.Mode.VALIDATE).fanOut();
    if (fanOut.isEmpty() || params.containsKey(fanOut.get().param())) {
      return List.of(JobFiles.load(loader, file, params, JobLoader.Mode.RUN));
    }
    return fanOut.get().values().stream()
        .map(
            value -> {
              Map<String, String> one = new LinkedHashMap<>(params);
              one.put(fanOut.get().param(), value);
              return JobFiles.load(loader, file, one, JobLoader.Mode.RUN);
            })
        .toList();
  }

  /**
   * The job's name, with the value of its run for a job that fans out: {@code kpis tenant=acme}.
   */
  static String label(JobSpec job) {
    return job.name()
        + job.fanOut().flatMap(f -> value(job).map(v -> " " + f.param() + "=" + v)).orElse("");
  }

  /** The value a run of a fan-out job is for; empty for other jobs. */
  static Optional<String> value(JobSpec job) {
    return job.fanOut()
        .map(f -> job.params().get(f.param()))
        .map(param -> String.valueOf(param.value()));
  }
}
