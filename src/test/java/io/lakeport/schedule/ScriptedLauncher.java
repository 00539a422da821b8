package io.lakeport.schedule;

import io.lakeport.schedule.launch.LaunchOutcome;
import io.lakeport.schedule.launch.LaunchRequest;
import io.lakeport.schedule.launch.Launcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A launcher whose runs end when the test says, with the exit code the test chooses. It stands in
 * for Spark only in scheduler-logic tests, which are about what the scheduler queues, starts and
 * records on a simulated clock; real launches are covered by InProcessLauncherSparkTest and
 * StandaloneClusterIT (and the {@code scheduler start --once} CLI test).
 */
final class ScriptedLauncher implements Launcher {
  /** Whether launches end at once (succeeded) or wait for the test. */
  enum Ending {
    AT_ONCE,
    WHEN_TOLD
  }

  private final Ending ending;
  private final List<ScriptedLaunch> launches = new ArrayList<>();

  ScriptedLauncher(Ending ending) {
    this.ending = ending;
  }

  @Override
  public ScriptedLaunch start(LaunchRequest request) {
    ScriptedLaunch launch = new ScriptedLaunch(request);
    launches.add(launch);
    if (ending == Ending.AT_ONCE) {
      launch.succeed();
    }
    return launch;
  }

  /** Every launch so far, first first. */
  List<ScriptedLaunch> launches() {
    return List.copyOf(launches);
  }

  /** The launches that have not ended. */
  List<ScriptedLaunch> running() {
    return launches.stream().filter(l -> !l.outcome().isDone()).toList();
  }

  /** One run the scheduler started. */
  static final class ScriptedLaunch implements Launch {
    private final LaunchRequest request;
    private final CompletableFuture<LaunchOutcome> outcome = new CompletableFuture<>();

    ScriptedLaunch(LaunchRequest request) {
      this.request = request;
    }

    LaunchRequest request() {
      return request;
    }

    void succeed() {
      outcome.complete(new LaunchOutcome(LaunchOutcome.State.SUCCEEDED, Optional.of(0), ""));
    }

    /** Succeeds having published {@code rows} rows (in one file, with a manifest). */
    void succeed(long rows) {
      outcome.complete(
          new LaunchOutcome(
              LaunchOutcome.State.SUCCEEDED,
              Optional.of(0),
              "",
              Optional.of(
                  new LaunchOutcome.Written(
                      true,
                      rows,
                      rows * 10,
                      1,
                      "/tmp/out/_lakeport/" + request.runId() + ".manifest.json"))));
    }

    void fail(int exitCode, String summary) {
      outcome.complete(
          new LaunchOutcome(LaunchOutcome.State.FAILED, Optional.of(exitCode), summary));
    }

    void timeOut() {
      outcome.complete(
          new LaunchOutcome(
              LaunchOutcome.State.TIMED_OUT,
              Optional.of(3),
              "cancelled at its timeout of " + request.timeout()));
    }

    @Override
    public CompletableFuture<LaunchOutcome> outcome() {
      return outcome;
    }

    @Override
    public void cancel() {
      outcome.complete(
          new LaunchOutcome(LaunchOutcome.State.CANCELLED, Optional.of(3), "cancelled"));
    }
  }
}
