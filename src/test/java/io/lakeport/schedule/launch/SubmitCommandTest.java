package io.lakeport.schedule.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spark-submit a run turns into, checked as arguments without starting anything. */
class SubmitCommandTest {
  @Test
  void buildsTheSparkSubmitOfARun() {
    SubmitSettings settings =
        new SubmitSettings(
            Path.of("/opt/spark"),
            "spark://127.0.0.1:7077",
            "client",
            Map.of("spark.executor.memory", "2g", "spark.driver.host", "127.0.0.1"),
            Path.of("target/lakeport.jar"),
            Optional.of(Path.of("conf/application.conf")));
    LaunchRequest request =
        new LaunchRequest(
            "orders-kpis",
            Path.of("jobs/orders.conf"),
            Map.of("run_date", "2026-11-23", "region", "eu"),
            "20261124T020000Z-abc123",
            Duration.ofHours(2));

    SubmitCommand command = new SubmitCommand(settings, request, Path.of("logs/r.outcome.json"));

    assertThat(command.arguments())
        .containsExactly(
            "--master",
            "spark://127.0.0.1:7077",
            "--deploy-mode",
            "client",
            "--name",
            "lakeport:orders-kpis:20261124T020000Z-abc123",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.executor.memory=2g",
            "--class",
            "io.lakeport.cli.Lakeport",
            "target/lakeport.jar",
            "run",
            "jobs/orders.conf",
            "--param",
            "region=eu",
            "--param",
            "run_date=2026-11-23",
            "--site-conf=conf/application.conf",
            "--run-id",
            "20261124T020000Z-abc123",
            "--outcome-file",
            "logs/r.outcome.json");
  }

  @Test
  void withoutSiteConfTheDriverUsesItsOwnDefault() {
    SubmitSettings settings =
        new SubmitSettings(
            Path.of("/opt/spark"),
            "local[2]",
            "client",
            Map.of(),
            Path.of("app.jar"),
            Optional.empty());
    LaunchRequest request =
        new LaunchRequest("j", Path.of("j.conf"), Map.of(), "r1", Duration.ofMinutes(1));

    assertThat(new SubmitCommand(settings, request, Path.of("o.json")).appArgs())
        .isEqualTo(List.of("run", "j.conf", "--run-id", "r1", "--outcome-file", "o.json"));
  }

  @Test
  void theDriverLogsWithTheSchedulersLogConfiguration() {
    SubmitSettings settings =
        new SubmitSettings(
            Path.of("/opt/spark"),
            "local[2]",
            "client",
            Map.of(),
            Path.of("app.jar"),
            Optional.empty(),
            Optional.of("/opt/lakeport/conf/log4j2.properties"));
    LaunchRequest request =
        new LaunchRequest("j", Path.of("j.conf"), Map.of(), "r1", Duration.ofMinutes(1));
    SubmitCommand command = new SubmitCommand(settings, request, Path.of("o.json"));

    assertThat(command.environment(Optional.empty()))
        .containsExactly(
            Map.entry(
                "SPARK_SUBMIT_OPTS",
                "-Dlog4j2.configurationFile=/opt/lakeport/conf/log4j2.properties"));
    assertThat(command.environment(Optional.of("-Xss4m")))
        .containsEntry(
            "SPARK_SUBMIT_OPTS",
            "-Xss4m -Dlog4j2.configurationFile=/opt/lakeport/conf/log4j2.properties");
    assertThat(
            new SubmitCommand(
                    new SubmitSettings(
                        Path.of("/opt/spark"),
                        "local[2]",
                        "client",
                        Map.of(),
                        Path.of("app.jar"),
                        Optional.empty()),
                    request,
                    Path.of("o.json"))
                .environment(Optional.of("-Xss4m")))
        .isEmpty();
  }

  @Test
  void anAcceleratedRunGetsTheCometJarAndTheSchedulersAcceleratorChoice() {
    SubmitSettings settings =
        new SubmitSettings(
            Path.of("/opt/spark"),
            "local[2]",
            "client",
            Map.of(),
            Path.of("app.jar"),
            Optional.empty(),
            Optional.empty(),
            Optional.of("comet"),
            List.of(Path.of("/opt/lakeport/lib/accelerator/comet.jar")));
    LaunchRequest export =
        new LaunchRequest("j", Path.of("j.conf"), Map.of(), "r1", Duration.ofMinutes(1));

    assertThat(new SubmitCommand(settings, export, Path.of("o.json")).arguments())
        .containsSubsequence(
            "--jars",
            "/opt/lakeport/lib/accelerator/comet.jar",
            "--class",
            "io.lakeport.cli.Lakeport",
            "app.jar",
            "run",
            "j.conf",
            "--accelerator",
            "comet",
            "--run-id",
            "r1");

    // retention apply starts no export plan and takes no --accelerator
    LaunchRequest retention =
        new LaunchRequest(
            "j", Path.of("j.conf"), Map.of(), "r2", Duration.ofMinutes(1), RunKind.RETENTION);
    assertThat(new SubmitCommand(settings, retention, Path.of("o.json")).appArgs())
        .isEqualTo(
            List.of("retention", "apply", "j.conf", "--run-id", "r2", "--outcome-file", "o.json"));
  }
}
