package io.lakeport.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.schedule.launch.LaunchOutcome;
import io.lakeport.schedule.launch.LaunchRequest;
import io.lakeport.schedule.launch.SparkSubmitLauncher;
import io.lakeport.schedule.launch.SubmitSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real submissions through {@link SparkSubmitLauncher}: a Spark standalone master and worker on
 * 127.0.0.1, started here from the Spark home the build assembled ({@code target/spark-home}), run
 * the application jar in client mode. A good job finishes with exit 0 and its export; a job whose
 * source is missing fails with Lakeport's exit code 2 and its message; a run past its timeout is
 * killed.
 */
class StandaloneClusterIT {
  private static final Path SPARK_HOME = Path.of(System.getProperty("it.lakeport.spark.home"));
  private static final List<Process> CLUSTER = new ArrayList<>();
  private static String master;
  private static ScheduledExecutorService timer;

  @TempDir static Path shared;

  @BeforeAll
  static void startCluster() throws Exception {
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    start(
        "org.apache.spark.deploy.master.Master",
        line -> line.contains("I have been elected leader"),
        "--host",
        "127.0.0.1",
        "--port",
        String.valueOf(port),
        "--webui-port",
        String.valueOf(freePort()));
    start(
        "org.apache.spark.deploy.worker.Worker",
        line -> line.contains("Successfully registered with master"),
        master,
        "--host",
        "127.0.0.1",
        "--cores",
        "2",
        "--memory",
        "2g",
        "--webui-port",
        String.valueOf(freePort()),
        "--work-dir",
        shared.resolve("work").toString());
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Process p : CLUSTER) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  @Test
  void aGoodRunFinishesAndABadOneFailsWithLakeportsExitCode() throws Exception {
    Path csv = Files.createDirectories(shared.resolve("warehouse")).resolve("events.csv");
    StringBuilder text = new StringBuilder("id,day\n");
    for (int i = 0; i < 300; i++) {
      text.append(i).append(",2026-11-2").append(i % 3).append('\n');
    }
    Files.writeString(csv, text);
    Path good =
        Files.writeString(
            shared.resolve("good.conf"),
            """
        name = cluster-good
        params { run_date = null }
        source { format = csv, path = "%s", options { header = true, infer-schema = true } }
        plan.where = { column = day, eq = ${params.run_date} }
        sink { format = parquet, path = "%s" }
        """
                .formatted(csv, shared.resolve("exports/good")));
    Path bad =
        Files.writeString(
            shared.resolve("bad.conf"),
            """
        name = cluster-bad
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s" }
        """
                .formatted(shared.resolve("missing"), shared.resolve("exports/bad")));
    SparkSubmitLauncher launcher = launcher(master);

    LaunchOutcome ok =
        launcher
            .start(
                new LaunchRequest(
                    "cluster-good",
                    good,
                    Map.of("run_date", "2026-11-21"),
                    "20261125T000000Z-00000a",
                    Duration.ofMinutes(4)))
            .outcome()
            .get(5, TimeUnit.MINUTES);
    LaunchOutcome failed =
        launcher
            .start(
                new LaunchRequest(
                    "cluster-bad", bad, Map.of(), "20261125T000000Z-00000b", Duration.ofMinutes(4)))
            .outcome()
            .get(5, TimeUnit.MINUTES);

    assertThat(ok.state()).as(ok.summary()).isEqualTo(LaunchOutcome.State.SUCCEEDED);
    assertThat(ok.exitCode()).contains(0);
    assertThat(shared.resolve("exports/good/_lakeport/manifest-20261125T000000Z-00000a.json"))
        .exists();
    assertThat(Files.readString(shared.resolve("logs/20261125T000000Z-00000a.log")))
        .contains("job cluster-good run 20261125T000000Z-00000a: 100 rows")
        .contains("app-");
    assertThat(failed.state()).isEqualTo(LaunchOutcome.State.FAILED);
    assertThat(failed.exitCode()).contains(2);
    assertThat(failed.summary())
        .contains("bad.conf:2: source: cannot read " + shared.resolve("missing"));
  }

  @Test
  void aRunPastItsTimeoutIsKilled() throws Exception {
    Path slow =
        Files.writeString(
            shared.resolve("slow.conf"),
            """
        name = cluster-slow
        source { format = csv, path = "%s", options { header = true } }
        plan.derive { slow = "reflect('java.lang.Thread', 'sleep', cast(600000 as bigint))" }
        sink { format = parquet, path = "%s" }
        """
                .formatted(writeSlowSource(), shared.resolve("exports/slow")));

    LaunchOutcome outcome =
        launcher("local[1]")
            .start(
                new LaunchRequest(
                    "cluster-slow",
                    slow,
                    Map.of(),
                    "20261125T000000Z-00000c",
                    Duration.ofSeconds(20)))
            .outcome()
            .get(3, TimeUnit.MINUTES);

    assertThat(outcome.state()).isEqualTo(LaunchOutcome.State.TIMED_OUT);
    assertThat(shared.resolve("exports/slow/_SUCCESS")).doesNotExist();
  }

  /** The drivers' site settings: exports under the shared folder. */
  private static Path site() {
    try {
      return Files.writeString(
          shared.resolve("application.conf"),
          "lakeport.exports = \""
              + shared.resolve("exports")
              + "\"\n"
              // the slow job sleeps in reflect('java.lang.Thread', 'sleep', ...)
              + "lakeport.sql.allow-java-methods = true\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SparkSubmitLauncher launcher(String master) {
    SubmitSettings settings =
        new SubmitSettings(
            SPARK_HOME,
            master,
            "client",
            Map.of(
                "spark.driver.host",
                "127.0.0.1",
                "spark.driver.bindAddress",
                "127.0.0.1",
                "spark.ui.enabled",
                "false",
                "spark.executor.memory",
                "1g",
                "spark.cores.max",
                "2"),
            Path.of(System.getProperty("it.lakeport.jar")),
            Optional.of(site()));
    return new SparkSubmitLauncher(settings, shared.resolve("logs"), timer);
  }

  private static String writeSlowSource() throws IOException {
    Path csvDir = Files.createDirectories(shared.resolve("slow-source"));
    Files.writeString(csvDir.resolve("rows.csv"), "id\n1\n2\n");
    return csvDir.toString();
  }

  private static void start(String mainClass, Predicate<String> ready, String... args)
      throws Exception {
    List<String> command =
        new ArrayList<>(List.of(SPARK_HOME.resolve("bin/spark-class").toString(), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SPARK_HOME", SPARK_HOME.toString());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    CLUSTER.add(process);
    List<String> log = new ArrayList<>();
    // Not closed here: once the process is up, a daemon thread keeps draining its log until it
    // ends.
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Boolean> up =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  synchronized (log) {
                    log.add(line);
                  }
                  if (ready.test(line)) {
                    Thread drain = new Thread(() -> drain(out), mainClass + "-log");
                    drain.setDaemon(true);
                    drain.start();
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                return false;
              }
            });
    boolean started = up.get(2, TimeUnit.MINUTES);
    synchronized (log) {
      assertThat(started).as("%s started:%n%s", mainClass, String.join("\n", log)).isTrue();
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // keep the pipe empty so the process never blocks on its log
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
