package io.lakeport.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.TestClock;
import io.lakeport.cli.Lakeport;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scheduler start --once} with {@code launcher = spark-submit}: the due slot's run is a real
 * spark-submit of the application jar on the Spark home the build assembled, and the history
 * records it from the driver's outcome file (rows and manifest included).
 */
class SchedulerSubmitIT {
  @TempDir Path dir;

  @Test
  void aScheduledRunGoesThroughSparkSubmitAndIsRecorded() throws Exception {
    Path csv =
        Files.writeString(
            Files.createDirectories(dir.resolve("warehouse")).resolve("events.csv"),
            "id,day\n1,2026-11-22\n2,2026-11-23\n3,2026-11-23\n");
    Path job =
        Files.writeString(
            dir.resolve("nightly.conf"),
            """
        name = nightly-submit
        time-zone = UTC
        params { run_date = null }
        source { format = csv, path = "%s", options { header = true, infer-schema = true } }
        plan.where = { column = day, eq = ${params.run_date} }
        sink { format = json, path = "%s" }
        schedule { every = daily, run-time = "01:00" }
        """
                .formatted(csv, dir.resolve("exports/nightly")));
    Path site =
        Files.writeString(
            dir.resolve("application.conf"),
            """
        lakeport.history.url = "jdbc:h2:file:%s"
        lakeport.exports = "%s"
        lakeport.logs = "%s"
        lakeport.scheduler.launcher = spark-submit
        lakeport.scheduler.spark-submit {
          spark-home = "%s"
          app-jar = "%s"
          master = "local[1]"
          logs = "%s"
          conf { "spark.driver.host" = "127.0.0.1", "spark.ui.enabled" = "false" }
        }
        """
                .formatted(
                    dir.resolve("history/lakeport"),
                    dir.resolve("exports"),
                    dir.resolve("run-logs"),
                    System.getProperty("it.lakeport.spark.home"),
                    System.getProperty("it.lakeport.jar"),
                    dir.resolve("logs")));
    TestClock clock = TestClock.at("2026-11-24T01:00:30Z");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    // the scheduler's log configuration (bin/lakeport's), which it passes on to its drivers
    System.setProperty(
        "log4j2.configurationFile",
        Path.of("conf", "log4j2.properties").toAbsolutePath().toString());
    int code;
    try {
      code =
          Lakeport.execute(
              clock,
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "scheduler",
              "--site-conf=" + site,
              "start",
              "--once",
              job.toString());
    } finally {
      System.clearProperty("log4j2.configurationFile");
    }

    assertThat(code).as(err.toString()).isZero();
    try (HistoryStore history = HistoryStore.open(Site.load(Optional.of(site)).history(), clock)) {
      List<Run> runs =
          history.runLog().runs(new RunFilter(Optional.of("nightly-submit"), Optional.empty(), 10));
      assertThat(runs)
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.status())
                    .as(run.error().orElse("") + "\n" + out)
                    .isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.params()).containsEntry("run_date", "2026-11-23");
                assertThat(run.rows()).contains(2L);
                assertThat(run.manifest())
                    .hasValueSatisfying(m -> assertThat(m).contains("manifest-" + run.id()));
                // the driver's console: Lakeport's lines and result, not Spark's INFO
                assertThat(dir.resolve("logs").resolve(run.id() + ".log"))
                    .content()
                    .contains("[nightly-submit " + run.id() + "] ExportRunner: Run " + run.id())
                    .contains("job nightly-submit run " + run.id() + ": 2 rows")
                    .doesNotContain(" INFO SparkContext: ");
                // the run's own log file, which the history names
                Path runLog =
                    dir.resolve("run-logs").resolve("nightly-submit").resolve(run.id() + ".log");
                assertThat(run.logFile()).contains(runLog.toString());
                assertThat(runLog)
                    .content()
                    .contains("[nightly-submit " + run.id() + "] ExportRunner: Run " + run.id());
              });
    }
  }
}
