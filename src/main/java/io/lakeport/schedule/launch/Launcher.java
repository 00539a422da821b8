package io.lakeport.schedule.launch;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Starts runs: in this process on a shared Spark session ({@link InProcessLauncher}, the embedded
 * default) or through spark-submit ({@link SparkSubmitLauncher}). Both end every run in one {@link
 * LaunchOutcome}, so the scheduler treats them alike.
 */
public interface Launcher {
  Launch start(LaunchRequest request) throws IOException;

  /** A started run: its outcome when it ends, and a way to stop it first. */
  interface Launch {
    CompletableFuture<LaunchOutcome> outcome();

    /** Stops the run; its outcome becomes {@code CANCELLED}. */
    void cancel();
  }
}
