package io.lakeport.schedule.launch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs jobs in this JVM, the embedded default: each run is carried out by {@link InProcessRuns} on
 * the process's one Spark session (created by the first run, shared after), on a fixed pool of
 * threads, which is the concurrency limit. A run past its timeout, or cancelled, has its Spark jobs
 * cancelled again and again until it ends, so the session lives on.
 */
public final class InProcessLauncher implements Launcher {
  /** How often a stopped run's Spark jobs are cancelled again while it goes on. */
  private static final Duration CANCEL_AGAIN = Duration.ofMillis(200);

  private final ExecutorService pool;
  private final ScheduledExecutorService timer;
  private final InProcessRuns runs;

  public InProcessLauncher(
      ExecutorService pool, ScheduledExecutorService timer, InProcessRuns runs) {
    this.pool = pool;
    this.timer = timer;
    this.runs = runs;
  }

  @Override
  public Launch start(LaunchRequest request) {
    AtomicReference<LaunchOutcome.State> stopped = new AtomicReference<>();
    CompletableFuture<LaunchOutcome> outcome =
        CompletableFuture.supplyAsync(() -> run(request, stopped), pool);
    var deadline =
        timer.schedule(
            () -> stop(request, stopped, outcome, LaunchOutcome.State.TIMED_OUT),
            request.timeout().toMillis(),
            TimeUnit.MILLISECONDS);
    outcome.whenComplete((o, e) -> deadline.cancel(false));
    return new Launch() {
      @Override
      public CompletableFuture<LaunchOutcome> outcome() {
        return outcome;
      }

      @Override
      public void cancel() {
        stop(request, stopped, outcome, LaunchOutcome.State.CANCELLED);
      }
    };
  }

  private LaunchOutcome run(LaunchRequest request, AtomicReference<LaunchOutcome.State> stopped) {
    LaunchOutcome outcome = runs.run(request);
    LaunchOutcome.State stop = stopped.get();
    if (stop != null) {
      return new LaunchOutcome(
          stop,
          outcome.exitCode(),
          stop == LaunchOutcome.State.TIMED_OUT
              ? "cancelled at its timeout of " + request.timeout()
              : "cancelled");
    }
    return outcome;
  }

  /**
   * Cancels the run's Spark jobs, and again every {@link #CANCEL_AGAIN} until the run ends: a run
   * goes through several Spark jobs, and one it submits just after a cancel would run to its end.
   */
  private void stop(
      LaunchRequest request,
      AtomicReference<LaunchOutcome.State> stopped,
      CompletableFuture<LaunchOutcome> outcome,
      LaunchOutcome.State why) {
    if (stopped.compareAndSet(null, why)) {
      var repeat =
          timer.scheduleWithFixedDelay(
              () -> runs.cancel(request.runId()),
              0,
              CANCEL_AGAIN.toMillis(),
              TimeUnit.MILLISECONDS);
      outcome.whenComplete((o, e) -> repeat.cancel(false));
    }
  }
}
