package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.TestSpark;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code lakeport scheduler start} in a child JVM stopped with SIGTERM (what {@code
 * systemctl stop} and {@code docker stop} send) while its run is going on: the run is cancelled and
 * recorded so, with the reason, its lock freed, nothing left running, and the process exits with 0.
 * The next scheduler then goes on as the policies say: a cancelled run is not retried, the slots
 * missed while it was down are skipped ({@code misfire = none}), and the slot due now runs.
 */
class SchedulerStopSparkTest {
  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final Pattern STARTED = Pattern.compile("Run (\\S+) of job slow started");

  @TempDir Path dir;

  @Test
  void sigtermCancelsTheRunningRunRecordsItAndTheNextSchedulerGoesOnAsThePoliciesSay()
      throws Exception {
    TestSpark.session();
    // 600 rows that take 200 ms each: two minutes, unless cancelled
    Path csv =
        Files.writeString(
            dir.resolve("rows.csv"),
            "id,nap\n"
                + IntStream.range(0, 600)
                    .mapToObj(i -> i + ",200")
                    .collect(Collectors.joining("\n"))
                + "\n");
    Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
    Path job =
        Fixtures.write(
            dir,
            "slow.conf",
            """
        name = slow
        source { format = csv, path = "%s", schema = "id INT, nap BIGINT", options { header = true } }
        plan.derive { napped = "reflect('java.lang.Thread', 'sleep', nap)" }
        sink { format = json, path = "%s", mode = overwrite }
        schedule {
          cron = "%d %d * * * ?"
          time-zone = UTC
          misfire = none
          retry { attempts = 3, backoff = fixed, delay = 1ms }
        }
        """
                .formatted(
                    csv,
                    dir.resolve("out"),
                    first.atZone(ZoneOffset.UTC).getSecond(),
                    first.atZone(ZoneOffset.UTC).getMinute()));
    Path site =
        Fixtures.write(
            dir,
            "application.conf",
            """
        lakeport.history.url = "jdbc:h2:file:%s"
        lakeport.scheduler { tick = 30s, missed-after = 5m }
        # the job naps in reflect('java.lang.Thread', 'sleep', ...)
        lakeport.sql.allow-java-methods = true
        """
                .formatted(dir.resolve("history/lakeport")));

    String runId;
    try (ChildLakeport.Running scheduler =
        ChildLakeport.start(dir, "scheduler", "--site-conf=" + site, "start", job.toString())) {
      Matcher started =
          STARTED.matcher(scheduler.awaitLine(line -> STARTED.matcher(line).find(), DEADLINE));
      assertThat(started.find()).isTrue();
      runId = started.group(1);

      assertThat(scheduler.terminate(DEADLINE)).as(scheduler.output()).isZero();
      assertThat(scheduler.output())
          .contains("SIGTERM received: stopping")
          .contains("Run " + runId + " of job slow ended CANCELLED");
    }

    Site settings = Site.load(Optional.of(site));
    try (HistoryStore history = HistoryStore.open(settings.history(), Clock.systemUTC())) {
      Run cancelled = history.runLog().run(runId).orElseThrow();
      assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(cancelled.slot()).contains(first);
      assertThat(cancelled.error())
          .hasValueSatisfying(
              e ->
                  assertThat(e).startsWith("the scheduler was stopped while" + " the run went on"));
      assertThat(history.runLog().attempts(runId))
          .singleElement()
          .satisfies(attempt -> assertThat(attempt.finishedAt()).isPresent());
      assertThat(history.locks().holder("slow")).isEmpty();
      assertThat(runs(history)).noneMatch(run -> run.status() == RunStatus.RUNNING);
    }

    // Three hours later, with a source that is quick to export: the slots of hours 1 and 2 were
    // missed
    Files.writeString(csv, "id,nap\n1,0\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    TestClock later = new TestClock(first.plus(Duration.ofHours(3)).plusSeconds(1));
    int code =
        Lakeport.execute(
            later,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "scheduler",
            "--site-conf=" + site,
            "start",
            "--once",
            job.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).doesNotContain("was lost by the last scheduler");
    try (HistoryStore history = HistoryStore.open(settings.history(), Clock.systemUTC())) {
      Map<Instant, Run> bySlot =
          runs(history).stream()
              .collect(Collectors.toMap(run -> run.slot().orElseThrow(), run -> run));
      assertThat(bySlot)
          .containsOnlyKeys(
              first,
              first.plus(Duration.ofHours(1)),
              first.plus(Duration.ofHours(2)),
              first.plus(Duration.ofHours(3)));
      assertThat(bySlot.get(first).status())
          .as("a cancelled run is not retried")
          .isEqualTo(RunStatus.CANCELLED);
      assertThat(history.runLog().attempts(runId)).hasSize(1);
      for (int hour = 1; hour <= 2; hour++) {
        Run missed = bySlot.get(first.plus(Duration.ofHours(hour)));
        assertThat(missed.status()).isEqualTo(RunStatus.SKIPPED);
        assertThat(missed.error())
            .hasValueSatisfying(e -> assertThat(e).contains("misfire is none"));
        assertThat(history.runLog().attempts(missed.id())).isEmpty();
      }
      Run now = bySlot.get(first.plus(Duration.ofHours(3)));
      assertThat(now.status()).as(now.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(now.rows()).contains(1L);
      assertThat(history.locks().holder("slow")).isEmpty();
    }
  }

  private static List<Run> runs(HistoryStore history) {
    return history.runLog().runs(new RunFilter(Optional.of("slow"), Optional.empty(), 100));
  }
}
