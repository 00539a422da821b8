package io.lakeport.server;

import io.lakeport.schedule.launch.LaunchOutcome;
import io.lakeport.schedule.launch.LaunchRequest;
import io.lakeport.schedule.launch.Launcher;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A launcher whose runs keep going until the test ends them (or the API cancels them). A stand-in
 * for Spark in the API tests only, which are about what the API shows and changes in the history
 * and the scheduler; real launches are tested by InProcessLauncherSparkTest and
 * StandaloneClusterIT.
 */
final class HeldLauncher implements Launcher {
  private final List<HeldLaunch> launches = new CopyOnWriteArrayList<>();

  @Override
  public HeldLaunch start(LaunchRequest request) {
    HeldLaunch launch = new HeldLaunch(request);
    launches.add(launch);
    return launch;
  }

  List<HeldLaunch> launches() {
    return List.copyOf(launches);
  }

  /** One run the scheduler started. */
  static final class HeldLaunch implements Launch {
    private final LaunchRequest request;
    private final CompletableFuture<LaunchOutcome> outcome = new CompletableFuture<>();

    HeldLaunch(LaunchRequest request) {
      this.request = request;
    }

    LaunchRequest request() {
      return request;
    }

    /** Ends the run as published with what it wrote. */
    void publish(long rows, long bytes, long files, String manifest) {
      outcome.complete(
          new LaunchOutcome(
              LaunchOutcome.State.SUCCEEDED,
              Optional.of(0),
              "",
              Optional.of(new LaunchOutcome.Written(true, rows, bytes, files, manifest))));
    }

    void fail(int exitCode, String summary) {
      outcome.complete(
          new LaunchOutcome(LaunchOutcome.State.FAILED, Optional.of(exitCode), summary));
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
