package io.lakeport.schedule.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.cli.LaunchedRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in this JVM on the shared session: a good run, a config error (exit 2, not retryable) and a
 * run cancelled at its timeout, whose Spark jobs stop and which publishes nothing.
 */
class InProcessLauncherSparkTest {
  @TempDir Path dir;
  private ExecutorService pool;
  private ScheduledExecutorService timer;
  private Launcher launcher;

  @BeforeEach
  void start() {
    TestSpark.session();
    pool = Executors.newFixedThreadPool(2);
    timer = Executors.newSingleThreadScheduledExecutor();
    launcher =
        new InProcessLauncher(
            pool,
            timer,
            new LaunchedRuns(
                // the slow job sleeps in reflect('java.lang.Thread', 'sleep', ...)
                Optional.of(
                    Fixtures.write(
                        dir, "application.conf", "lakeport.sql.allow-java-methods = true\n")),
                Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void aGoodRunAConfigErrorAndARunPastItsTimeout() throws Exception {
    Path csv = Files.writeString(dir.resolve("rows.csv"), "id\n1\n2\n3\n");
    Path good = job("good", csv, "", dir.resolve("good"));
    Path bad =
        Files.writeString(
            dir.resolve("bad.conf"),
            "name = bad\nsource { format = csv }\nsink { format = csv, path = x }\n");
    Path slow =
        job(
            "slow",
            csv,
            "plan.derive { slow = \"reflect('java.lang.Thread', 'sleep', cast(600000 as bigint))\" }",
            dir.resolve("slow"));

    LaunchOutcome ok =
        launcher
            .start(request("good", good, "20261125T010000Z-0000aa", Duration.ofMinutes(2)))
            .outcome()
            .get(3, TimeUnit.MINUTES);
    LaunchOutcome failed =
        launcher
            .start(request("bad", bad, "20261125T010000Z-0000bb", Duration.ofMinutes(2)))
            .outcome()
            .get(3, TimeUnit.MINUTES);
    LaunchOutcome timedOut =
        launcher
            .start(request("slow", slow, "20261125T010000Z-0000cc", Duration.ofSeconds(5)))
            .outcome()
            .get(3, TimeUnit.MINUTES);

    assertThat(ok.state()).isEqualTo(LaunchOutcome.State.SUCCEEDED);
    assertThat(ok.exitCode()).contains(0);
    assertThat(ok.written())
        .hasValueSatisfying(
            w -> {
              assertThat(w.published()).isTrue();
              assertThat(w.rows()).isEqualTo(3);
              assertThat(w.manifest())
                  .endsWith("/good/_lakeport/manifest-20261125T010000Z-0000aa.json");
            });
    assertThat(dir.resolve("good/_lakeport/manifest-20261125T010000Z-0000aa.json")).exists();
    assertThat(failed.state()).isEqualTo(LaunchOutcome.State.FAILED);
    assertThat(failed.exitCode()).contains(2);
    assertThat(failed.summary())
        .endsWith(
            ":2: source.path: missing required setting for format csv. Add path = <folder or URI>.");
    assertThat(timedOut.state()).isEqualTo(LaunchOutcome.State.TIMED_OUT);
    assertThat(timedOut.exitCode()).contains(3);
    assertThat(dir.resolve("slow/_SUCCESS")).doesNotExist();
    assertThat(dir.resolve("slow/_lakeport/staging/20261125T010000Z-0000cc")).doesNotExist();
  }

  private Path job(String name, Path csv, String plan, Path out) throws Exception {
    return Files.writeString(
        dir.resolve(name + ".conf"),
        """
        name = %s
        source { format = csv, path = "%s", options { header = true } }
        %s
        sink { format = json, path = "%s" }
        """
            .formatted(name, csv, plan, out));
  }

  private static LaunchRequest request(String job, Path file, String runId, Duration timeout) {
    return new LaunchRequest(job, file, Map.of(), runId, timeout);
  }
}
