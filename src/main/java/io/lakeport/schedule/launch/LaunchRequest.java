package io.lakeport.schedule.launch;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run to start: the job file, its params (run_date and the like, already chosen from the slot),
 * the run id the history store gave it, and how long it may take before it is killed.
 */
public record LaunchRequest(
    String job,
    Path jobFile,
    Map<String, String> params,
    String runId,
    Duration timeout,
    RunKind kind) {
  public LaunchRequest {
    requireNonNull(kind, "kind is null");
    requireNonNull(job, "job is null");
    requireNonNull(jobFile, "jobFile is null");
    params = Map.copyOf(params);
    requireNonNull(runId, "runId is null");
    requireNonNull(timeout, "timeout is null");
  }

  /** An export run. */
  public LaunchRequest(
      String job, Path jobFile, Map<String, String> params, String runId, Duration timeout) {
    this(job, jobFile, params, runId, timeout, RunKind.EXPORT);
  }

  /**
   * Lakeport's command for the run up to its options: {@code run <job file> --param k=v ...}, or
   * {@code retention apply <job file>} (retention takes no params).
   */
  public List<String> command() {
    List<String> args = new ArrayList<>();
    if (kind == RunKind.RETENTION) {
      args.addAll(List.of("retention", "apply", jobFile.toString()));
    } else {
      args.addAll(List.of("run", jobFile.toString()));
      new TreeMap<>(params).forEach((k, v) -> args.addAll(List.of("--param", k + "=" + v)));
    }
    return args;
  }
}
