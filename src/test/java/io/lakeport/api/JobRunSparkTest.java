package io.lakeport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.TestSpark;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.Site;
import io.lakeport.history.Attempt;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.notify.Receiver;
import io.lakeport.run.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Job.run} from Java (notebooks, the benchmark) records its run in the run history as {@code
 * lakeport run} does, with the history opened beside the export's preparation: a published run with
 * its counts, a failed one with the CLI's exit code and message, and a history that cannot be
 * opened only warns.
 */
class JobRunSparkTest {
  private static SparkSession spark;

  @TempDir static Path home;

  @BeforeAll
  static void writeHome() throws Exception {
    spark = TestSpark.session();
    Path source = Files.createDirectories(home.resolve("warehouse/events"));
    StringBuilder csv = new StringBuilder("id,kind\n");
    for (int i = 0; i < 300; i++) {
      csv.append(i).append(',').append(i % 3 == 0 ? "click" : "view").append('\n');
    }
    Files.writeString(source.resolve("events.csv"), csv);
    Files.writeString(
        home.resolve("clicks.conf"),
        """
        name = clicks
        params { kind = click, api_token = "not-for-the-history" }
        source { format = csv, path = "%s", options { header = true, infer-schema = true } }
        plan.where = { column = kind, eq = ${params.kind} }
        sink { format = parquet, path = "%s", mode = overwrite }
        """
            .formatted(source, home.resolve("exports/clicks")));
    Files.writeString(
        home.resolve("missing.conf"),
        """
        name = missing
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s" }
        """
            .formatted(home.resolve("warehouse/none"), home.resolve("exports/missing")));
  }

  @Test
  void aPublishedRunIsRecordedWithItsCountsAndMaskedParams() {
    Lakeport lakeport = lakeport("history-published");

    RunResult result = lakeport.job("clicks.conf").run(spark);

    long expected =
        spark
            .read()
            .option("header", "true")
            .csv(home.resolve("warehouse/events").toString())
            .where("kind = 'click'")
            .count();
    assertThat(result.manifest().totals().rows()).isEqualTo(expected);
    List<Run> runs = lakeport.history("clicks", 10);
    assertThat(runs).hasSize(1);
    Run run = runs.get(0);
    assertThat(run.id()).isEqualTo(result.manifest().runId());
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.trigger()).isEqualTo(Trigger.MANUAL);
    assertThat(run.rows()).contains(expected);
    assertThat(run.files()).contains((long) result.manifest().files().size());
    assertThat(run.manifest()).isEqualTo(result.manifestPath());
    assertThat(run.params())
        .containsEntry("kind", "click")
        .doesNotContainValue("not-for-the-history");
    assertThat(run.startedAt()).isPresent();
    assertThat(run.startedAt().orElseThrow()).isBeforeOrEqualTo(run.finishedAt().orElseThrow());
  }

  @Test
  void aFailedRunIsRecordedWithTheExitCodeAndMessageTheCliWouldGive() {
    Lakeport lakeport = lakeport("history-failed");

    assertThatThrownBy(() -> lakeport.job("missing.conf").run(spark))
        .isInstanceOf(JobConfigException.class);

    Run run = lakeport.history("missing", 10).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error().orElseThrow()).contains("cannot read " + home.resolve("warehouse/none"));
    try (HistoryStore store = HistoryStore.open(lakeport.site().history(), Clock.systemUTC())) {
      List<Attempt> attempts = store.runLog().attempts(run.id());
      assertThat(attempts).hasSize(1);
      assertThat(attempts.get(0).exitCode())
          .as("a mistake in the job, as lakeport run exits")
          .contains(2);
    }
  }

  @Test
  void aHistoryThatCannotBeOpenedOnlyWarns() throws Exception {
    Path blocked =
        Files.writeString(
            home.resolve("not-a-folder"), "a file where the history's folder should be");
    Lakeport lakeport =
        Lakeport.of(home, site("jdbc:h2:file:" + blocked.resolve("lakeport")), Clock.systemUTC());
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    RunResult result;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      result =
          lakeport
              .job("clicks.conf")
              .into(home.resolve("exports/unrecorded").toString())
              .run(spark);
    } finally {
      System.setErr(err);
    }

    assertThat(result.status()).isEqualTo(RunResult.Status.PUBLISHED);
    assertThat(home.resolve("exports/unrecorded/_SUCCESS")).exists();
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("warning:")
        .contains("The run goes on without being recorded in the run history");
  }

  @Test
  void aRunThroughTheJavaApiIsAnnouncedLikeOneOfTheCommandLine() throws Exception {
    try (Receiver receiver = Receiver.answering()) {
      Path conf = Files.createTempFile(home, "application", ".conf");
      Files.writeString(
          conf,
          "lakeport.history.url = \"jdbc:sqlite:"
              + home.resolve("history-announced/lakeport.db")
              + "\"\n"
              + "lakeport.notifications { channels.hook { type = webhook, url = \""
              + receiver.url("/hook")
              + "\" }, subscriptions.hook { level = info } }\n");
      Lakeport lakeport = Lakeport.of(home, Site.load(Optional.of(conf)), Clock.systemUTC());

      RunResult result = lakeport.job("clicks.conf").run(spark);
      assertThatThrownBy(() -> lakeport.job("missing.conf").run(spark))
          .isInstanceOf(JobConfigException.class);

      Receiver.Request succeeded = receiver.next(Duration.ofSeconds(20));
      Receiver.Request failed = receiver.next(Duration.ofSeconds(20));
      ObjectMapper json = new ObjectMapper();
      assertThat(succeeded.header("X-Lakeport-Event")).isEqualTo("run-succeeded");
      assertThat(json.readTree(succeeded.body()).get("run_id").asText())
          .isEqualTo(result.manifest().runId());
      assertThat(new String(succeeded.body(), StandardCharsets.UTF_8))
          .doesNotContain("not-for-the-history");
      assertThat(failed.header("X-Lakeport-Event")).isEqualTo("run-failed");
      assertThat(json.readTree(failed.body()).get("job").asText()).isEqualTo("missing");
      assertThat(json.readTree(failed.body()).get("error").asText()).contains("cannot read");
    }
  }

  private static Lakeport lakeport(String history) {
    return Lakeport.of(
        home, site("jdbc:h2:file:" + home.resolve(history).resolve("lakeport")), Clock.systemUTC());
  }

  private static Site site(String historyUrl) {
    try {
      Path conf = Files.createTempFile(home, "application", ".conf");
      Files.writeString(conf, "lakeport.history.url = \"" + historyUrl + "\"\n");
      return Site.load(Optional.of(conf));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
