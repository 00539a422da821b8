package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunOutcome;
import io.lakeport.history.RunRequest;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport history prune} as users call it, against a real SQLite history (the default) that
 * the test fills through the store with runs that ended 200 and 10 days before now.
 */
class HistoryPruneCommandTest {
  private static final Worker WORKER = new Worker("etl-1", 4242);
  private static final Pattern BEFORE = Pattern.compile("ended before (\\S+),");

  @TempDir Path dir;
  private Path site;
  private final TestClock clock =
      new TestClock(Instant.now().minus(Duration.ofDays(200)).truncatedTo(ChronoUnit.SECONDS));
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void siteWithAHistoryInTheTemporaryFolder() {
    site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport.history.url = \"jdbc:sqlite:" + dir.resolve("history/lakeport.db") + "\"\n");
  }

  @Test
  void aDryRunSaysWhatWouldGoAndPruningDeletesExactlyThat() throws IOException {
    Path logs;
    try (HistoryStore store = store()) {
      ended(store, "old-1", "orders");
      ended(store, "old-2", "orders");
      ended(store, "old-3", "kpis");
      store
          .deliveries()
          .recordNotification(
              new Notification(
                  "old-3",
                  "webhook",
                  "https://hooks.example/x",
                  1,
                  Notification.Delivery.SENT,
                  Optional.empty(),
                  clock.instant()));
      store
          .runLog()
          .enqueue(
              new RunRequest("old-queued", "kpis", Optional.empty(), Trigger.MANUAL, Map.of()));
      clock.advance(Duration.ofDays(190));
      ended(store, "recent", "orders");
      // the runs' log files, in a folder of this test under the site's lakeport.logs; one recorded
      // outside it is not the history's to delete
      logs =
          Files.createTempDirectory(
              Files.createDirectories(Site.load(Optional.of(site)).logs()), "prune-");
      logFile(store, "old-1", logs.resolve("orders/old-1.log"));
      logFile(store, "old-2", logs.resolve("orders/old-2.log"));
      logFile(store, "old-3", dir.resolve("elsewhere/old-3.log"));
      logFile(store, "recent", logs.resolve("orders/recent.log"));
    }
    Instant earliest = Instant.now().minus(Duration.ofDays(90)).truncatedTo(ChronoUnit.SECONDS);

    int dry = lakeport("history", "prune", "--older-than", "90d", "--dry-run");
    String dryOut = out.toString();
    out.getBuffer().setLength(0);
    int pruned = lakeport("history", "prune", "--older-than", "90d");

    assertThat(dry).as(err.toString()).isZero();
    assertThat(pruned).as(err.toString()).isZero();
    Instant before = before(dryOut);
    assertThat(before).isBetween(earliest, Instant.now().minus(Duration.ofDays(90)));
    assertThat(dryOut)
        .isEqualTo(
            """
            Would delete 3 runs that ended before %s, with 3 attempts and 1 notification delivery, and 2 log files (--dry-run: nothing deleted).
            JOB     RUNS
            kpis       1
            orders     2
            """
                .formatted(before));
    assertThat(out.toString())
        .startsWith(
            "Deleted 3 runs that ended before "
                + before(out.toString())
                + ", with 3 attempts and 1 notification delivery, and 2 log files.\n")
        .endsWith("kpis       1\norders     2\n");
    assertThat(logs.resolve("orders/old-1.log")).doesNotExist();
    assertThat(logs.resolve("orders/old-2.log")).doesNotExist();
    assertThat(logs.resolve("orders/recent.log")).as("its run is kept").exists();
    assertThat(dir.resolve("elsewhere/old-3.log")).as("outside lakeport.logs").exists();
    try (HistoryStore store = store()) {
      assertThat(store.runLog().runs(new RunFilter(Optional.empty(), Optional.empty(), 100)))
          .extracting(Run::id)
          .containsExactlyInAnyOrder("old-queued", "recent");
      assertThat(store.deliveries().notifications("old-3")).isEmpty();
      assertThat(store.runLog().attempts("old-1")).isEmpty();
    }
    out.getBuffer().setLength(0);
    assertThat(lakeport("history", "prune", "--older-than", "90d")).isZero();
    assertThat(out.toString()).startsWith("No runs to delete: none ended before ");
  }

  @Test
  void aMissingOrZeroOrMalformedAgeIsAMistake() {
    assertThat(lakeport("history", "prune")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--older-than=DURATION'");
    err.getBuffer().setLength(0);
    assertThat(lakeport("history", "prune", "--older-than", "0s")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--older-than must be longer than zero (e.g. 90d): 0 would delete every ended run.")
        .doesNotContain("Exception");
    err.getBuffer().setLength(0);
    assertThat(lakeport("history", "prune", "--older-than", "three months")).isEqualTo(2);
    assertThat(err.toString()).contains("not a duration: three months");
  }

  private static void logFile(HistoryStore store, String id, Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "log of " + id + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store.runLog().logFile(id, file.toString());
  }

  private static Instant before(String output) {
    Matcher matcher = BEFORE.matcher(output);
    assertThat(matcher.find()).as(output).isTrue();
    return Instant.parse(matcher.group(1));
  }

  private void ended(HistoryStore store, String id, String job) {
    store
        .runLog()
        .begin(new RunRequest(id, job, Optional.empty(), Trigger.MANUAL, Map.of()), WORKER);
    clock.advance(Duration.ofSeconds(30));
    store.runLog().finish(id, RunOutcome.succeeded(10, 100, 1, "file:/m-" + id + ".json"));
  }

  private HistoryStore store() {
    return HistoryStore.open(Site.load(Optional.of(site)).history(), clock);
  }

  private int lakeport(String... args) {
    return Cli.lakeport(site, out, err, args);
  }
}
