package io.lakeport.schedule.launch;

/**
 * What the in-process launcher runs: a launch request carried out directly in this JVM (its job
 * loaded, run on the process's Spark session, its outcome returned), and the cancelling of such a
 * run. The scheduler's entry point provides it, so that this package needs neither Spark nor the
 * command line.
 */
public interface InProcessRuns {
  /**
   * Runs the request to its end and says how it ended; a failure is an outcome, not an exception.
   */
  LaunchOutcome run(LaunchRequest request);

  /**
   * Cancels what the run is doing now (its Spark jobs); the run then fails before publishing. A run
   * between two steps has nothing to cancel: callers that must stop it call again.
   */
  void cancel(String runId);
}
