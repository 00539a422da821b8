package io.lakeport.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.TestSpark;
import io.lakeport.cli.Lakeport;
import io.lakeport.config.Site;
import io.lakeport.fault.Failpoints;
import io.lakeport.history.Attempt;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code lakeport scheduler start} in a child JVM, killed with SIGKILL while its run is
 * staged (stopped there by a failpoint), then a new scheduler on the same history: the lost run is
 * marked interrupted, its lock freed, and it is retried to success; its staging is cleaned and the
 * export holds the source's rows once.
 */
class SchedulerCrashSparkTest {
  @TempDir Path dir;

  @Test
  void aSchedulerKilledWithItsRunStagedIsFollowedByOneThatRetriesIt() throws Exception {
    TestSpark.session();
    Path csv = Files.writeString(dir.resolve("rows.csv"), "id\n1\n2\n3\n");
    Path job =
        Fixtures.write(
            dir,
            "every5s.conf",
            """
        name = every5s
        source { format = csv, path = "%s", options { header = true } }
        sink { format = json, path = "%s" }
        schedule {
          cron = "*/5 * * * * ?"
          time-zone = UTC
          retry { attempts = 2, backoff = fixed, delay = 1ms }
        }
        """
                .formatted(csv, dir.resolve("out")));
    Path site =
        Fixtures.write(
            dir,
            "application.conf",
            """
        lakeport.history.url = "jdbc:h2:file:%s"
        lakeport.scheduler { tick = 1s, missed-after = 4s }
        """
                .formatted(dir.resolve("history/lakeport")));

    ChildLakeport.killAt(
        Failpoints.STAGED, dir, "scheduler", "--site-conf=" + site, "start", job.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Lakeport.execute(
            Clock.systemUTC(),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "scheduler",
            "--site-conf=" + site,
            "start",
            "--once",
            job.toString());
    // The lost run is queued again after its retry delay; a pass a minute later surely finds it due
    // (the first pass may already have run it, if the delay had passed by its tick).
    int later =
        Lakeport.execute(
            new TestClock(Instant.now().plusSeconds(60)),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "scheduler",
            "--site-conf=" + site,
            "start",
            "--once",
            job.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(later).as(err.toString()).isZero();
    try (HistoryStore history =
        HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC())) {
      Run killed =
          history
              .runLog()
              .runs(new RunFilter(Optional.of("every5s"), Optional.empty(), 100))
              .stream()
              .filter(r -> !history.runLog().attempts(r.id()).isEmpty())
              .min(Comparator.comparing(Run::id))
              .orElseThrow();
      List<Attempt> attempts = history.runLog().attempts(killed.id());
      assertThat(out.toString())
          .contains("run " + killed.id() + " of job every5s was lost by the last scheduler");
      assertThat(killed.status()).as(killed.error().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(attempts).hasSize(2);
      assertThat(killed.rows()).contains(3L);
      assertThat(history.locks().holder("every5s")).isEmpty();
    }
    assertThat(dir.resolve("out/_lakeport/staging")).isEmptyDirectory();
  }
}
