package io.lakeport.schedule.launch;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs jobs in this JVM, the embedded default: each run is {@code lakeport run} on the process's
 * one Spark session (created by the first run, shared after), on a fixed pool of threads, which is
 * the concurrency limit. A run past its timeout, or cancelled, has its Spark jobs cancelled by job
 * group (the run id, which the runner uses as job group), so the session lives on.
 */
public final class InProcessLauncher implements Launcher {
  /** How often a stopped run's Spark jobs are cancelled again while it goes on. */
  private static final Duration CANCEL_AGAIN = Duration.ofMillis(200);

  private final ExecutorService pool;
  private final ScheduledExecutorService timer;
  private final Optional<Path> siteConf;

  public InProcessLauncher(ExecutorService pool, ScheduledExecutorService timer, Optional<Path> siteConf) {
    this.pool = pool;
    this.timer = timer;
    this.siteConf = siteConf;
  }

  @Override
  public Launch start(LaunchRequest request) {
    AtomicReference<LaunchOutcome.State> stopped = new AtomicReference<>();
    CompletableFuture<LaunchOutcome> outcome = CompletableFuture.supplyAsync(() -> run(request, stopped), pool);
    var deadline = timer.schedule(() -> stop(request, stopped, outcome, LaunchOutcome.State.TIMED_OUT),
        request.timeout().toMillis(), TimeUnit.MILLISECONDS);
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
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path outcomeFile;
    try {
      outcomeFile = Files.createTempFile("lakeport-" + request.runId() + "-", ".outcome.json");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the outcome file of run " + request.runId(), e);
    }
    List<String> args = new ArrayList<>(arguments(request));
    args.addAll(List.of("--outcome-file", outcomeFile.toString()));
    int exit = io.lakeport.cli.Lakeport.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        args.toArray(String[]::new));
    Optional<LaunchOutcome.Written> written = OutcomeFile.read(outcomeFile).flatMap(OutcomeFile::written);
    try {
      Files.deleteIfExists(outcomeFile);
    } catch (IOException e) {
      // a temporary file; the system cleans it up
    }
    LaunchOutcome.State stop = stopped.get();
    if (stop != null) {
      return new LaunchOutcome(stop, Optional.of(exit), stop == LaunchOutcome.State.TIMED_OUT
          ? "cancelled at its timeout of " + request.timeout() : "cancelled");
    }
    return exit == 0
        ? new LaunchOutcome(LaunchOutcome.State.SUCCEEDED, Optional.of(0), "", written)
        : new LaunchOutcome(LaunchOutcome.State.FAILED, Optional.of(exit), err.toString().lines().findFirst().orElse(""));
  }

  /** Lakeport's command line for the run, as spark-submit would pass it. */
  List<String> arguments(LaunchRequest request) {
    List<String> args = new ArrayList<>(request.command());
    siteConf.ifPresent(conf -> args.add("--site-conf=" + conf));
    args.addAll(List.of("--run-id", request.runId()));
    return args;
  }

  /**
   * Cancels the run's Spark jobs, and again every {@link #CANCEL_AGAIN} until the run ends: a run
   * goes through several Spark jobs, and one it submits just after a cancel would run to its end.
   */
  private void stop(LaunchRequest request, AtomicReference<LaunchOutcome.State> stopped,
      CompletableFuture<LaunchOutcome> outcome, LaunchOutcome.State why) {
    if (stopped.compareAndSet(null, why)) {
      var repeat = timer.scheduleWithFixedDelay(() -> io.lakeport.run.ExportRunner.cancel(request.runId()), 0,
          CANCEL_AGAIN.toMillis(), TimeUnit.MILLISECONDS);
      outcome.whenComplete((o, e) -> repeat.cancel(false));
    }
  }

}
