package io.lakeport.schedule.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;

/**
 * Starts runs with spark-submit through Spark's launcher library and follows each to a final state
 * ({@link SparkAppHandle}): the driver's log goes to {@code <logs>/<run id>.log}, a run still going
 * at its timeout is killed, and the exit code comes from the outcome file the driver writes ({@code
 * lakeport run --outcome-file}), since spark-submit itself only says failed or not.
 */
public final class SparkSubmitLauncher implements Launcher {
  private final SubmitSettings settings;
  private final Path logs;
  private final ScheduledExecutorService timer;

  public SparkSubmitLauncher(SubmitSettings settings, Path logs, ScheduledExecutorService timer) {
    this.settings = settings;
    this.logs = logs;
    this.timer = timer;
  }

  @Override
  public Launch start(LaunchRequest request) throws IOException {
    Files.createDirectories(logs);
    Path log = logs.resolve(request.runId() + ".log");
    Path outcomeFile = logs.resolve(request.runId() + ".outcome.json");
    Files.deleteIfExists(outcomeFile);
    SubmitCommand command = new SubmitCommand(settings, request, outcomeFile);
    SparkLauncher launcher =
        command
            .configure(
                new SparkLauncher(
                    command.environment(
                        Optional.ofNullable(System.getenv(SubmitCommand.SUBMIT_OPTIONS)))))
            .redirectError()
            .redirectOutput(log.toFile());
    Tracking tracking = new Tracking(outcomeFile, log);
    SparkAppHandle handle = launcher.startApplication(tracking);
    tracking.handle = handle;
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> tracking.stop(true), request.timeout().toMillis(), TimeUnit.MILLISECONDS);
    tracking.outcome.whenComplete((o, e) -> deadline.cancel(false));
    tracking.stateChanged(handle);
    return tracking;
  }

  /** Follows one handle to its final state and reads the outcome file then. */
  private static final class Tracking implements SparkAppHandle.Listener, Launch {
    private final CompletableFuture<LaunchOutcome> outcome = new CompletableFuture<>();
    private final Path outcomeFile;
    private final Path log;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile SparkAppHandle handle;

    Tracking(Path outcomeFile, Path log) {
      this.outcomeFile = outcomeFile;
      this.log = log;
    }

    @Override
    public CompletableFuture<LaunchOutcome> outcome() {
      return outcome;
    }

    @Override
    public void cancel() {
      stop(false);
    }

    void stop(boolean timeout) {
      (timeout ? timedOut : cancelled).set(true);
      SparkAppHandle h = handle;
      if (h != null && !h.getState().isFinal()) {
        h.kill();
      }
    }

    @Override
    public void stateChanged(SparkAppHandle h) {
      if (h.getState().isFinal() && !outcome.isDone()) {
        outcome.complete(outcome(h.getState()));
      }
    }

    @Override
    public void infoChanged(SparkAppHandle h) {
      // the application id is in the driver's log
    }

    private LaunchOutcome outcome(SparkAppHandle.State state) {
      Optional<OutcomeFile> file = OutcomeFile.read(outcomeFile);
      Optional<Integer> exit = file.map(OutcomeFile::exitCode);
      String error = file.flatMap(OutcomeFile::error).orElse("");
      if (timedOut.get()) {
        return new LaunchOutcome(
            LaunchOutcome.State.TIMED_OUT, exit, "killed at its timeout; log: " + log);
      }
      if (cancelled.get()) {
        return new LaunchOutcome(LaunchOutcome.State.CANCELLED, exit, "cancelled; log: " + log);
      }
      if (exit.isPresent()) {
        return exit.get() == 0
            ? new LaunchOutcome(
                LaunchOutcome.State.SUCCEEDED, exit, "", file.flatMap(OutcomeFile::written))
            : new LaunchOutcome(LaunchOutcome.State.FAILED, exit, error + " (log: " + log + ")");
      }
      return new LaunchOutcome(
          state == SparkAppHandle.State.LOST
              ? LaunchOutcome.State.LOST
              : LaunchOutcome.State.FAILED,
          exit,
          "spark-submit ended " + state + " before Lakeport wrote its outcome; log: " + log);
    }
  }
}
