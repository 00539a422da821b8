package io.lakeport.schedule.launch;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One run to start: the job file, its params (run_date and the like, already chosen from the
 * slot), the run id the history store gave it, and how long it may take before it is killed.
 */
public record LaunchRequest(String job, Path jobFile, Map<String, String> params, String runId, Duration timeout) {
  public LaunchRequest {
    requireNonNull(job, "job is null");
    requireNonNull(jobFile, "jobFile is null");
    params = Map.copyOf(params);
    requireNonNull(runId, "runId is null");
    requireNonNull(timeout, "timeout is null");
  }
}
