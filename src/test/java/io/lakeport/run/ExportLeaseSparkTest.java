package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.DayRows;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.cli.Lakeport;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.fault.Failpoints;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunRequest;
import io.lakeport.history.RunStatus;
import io.lakeport.history.Trigger;
import io.lakeport.history.Worker;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Verifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two runs on one export: one writer at a time. The first run is a real {@code lakeport run} in a
 * child JVM held at each point of its publish in turn; the second, a {@code lakeport run} in this
 * JVM started meanwhile, for the same or another run date, is refused with exit code 3 naming the
 * first. After the first is killed, a run takes the lease over and publishes exactly the source's
 * rows; the history says the killed run was lost and the refused one failed.
 */
class ExportLeaseSparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @AfterEach
  void clearFailpoints() {
    Failpoints.clear();
  }

  static List<String> publishPoints() {
    return Failpoints.PUBLISH_POINTS;
  }

  @ParameterizedTest(name = "first run held at {0}")
  @MethodSource("publishPoints")
  void aSecondRunIsRefusedWhileTheFirstHoldsTheExport(String point) throws Exception {
    // alternate: the second run is for the same date at some points, for another date at the others
    boolean sameDate = Failpoints.PUBLISH_POINTS.indexOf(point) % 2 == 0;
    Path site = site();
    Path job = job(source(600));
    Lakeport.execute("run", job.toString(), "-p", "run_date=2026-10-01", "--site-conf=" + site);
    Map<String, Long> before = perDay(out());

    ChildLakeport.Held first =
        ChildLakeport.holdAt(
            point,
            dir,
            "run",
            job.toString(),
            "-p",
            "run_date=2026-10-02",
            "--site-conf=" + site,
            "--master",
            "local[2]");
    StringWriter err = new StringWriter();
    int second;
    try {
      second =
          Lakeport.execute(
              Clock.systemUTC(),
              new PrintWriter(new StringWriter(), true),
              new PrintWriter(err, true),
              "run",
              job.toString(),
              "-p",
              "run_date=" + (sameDate ? "2026-10-02" : "2026-10-03"),
              "--site-conf=" + site);
    } finally {
      first.kill();
    }

    assertThat(second).as(err.toString()).isEqualTo(3);
    assertThat(err.toString())
        .contains(
            "another run is writing the export at",
            "job leased",
            "pid " + first.pid(),
            "--wait DURATION")
        .doesNotContain("\tat ");
    assertThat(new Verifier(new Configuration()).verify(out().toString()).differences())
        .as("what a reader sees is what a manifest describes")
        .isEmpty();
    try (HistoryStore history = history(site)) {
      List<Run> runs =
          history.runLog().runs(new RunFilter(Optional.of("leased"), Optional.empty(), 10));
      assertThat(runs)
          .extracting(Run::status)
          .containsExactlyInAnyOrder(RunStatus.SUCCEEDED, RunStatus.LOST, RunStatus.FAILED);
      assertThat(runs)
          .filteredOn(r -> r.status() == RunStatus.FAILED)
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r.error().orElseThrow())
                      .contains("another run is writing the export"));
    }

    int again =
        Lakeport.execute("run", job.toString(), "-p", "run_date=2026-10-02", "--site-conf=" + site);

    assertThat(again).isZero();
    Map<String, Long> expected = new TreeMap<>(before);
    expected.put("2026-10-02", 600L / 3);
    assertThat(perDay(out())).isEqualTo(expected);
    assertThat(new Verifier(new Configuration()).verify(out().toString()).intact()).isTrue();
    PublishSparkTest.assertNoLeftovers(out());
  }

  @Test
  void aRunThatWaitsForTheLeasePublishesAfterTheFirst() throws Exception {
    Path job = job(source(300));
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Failpoints.install(
        Failpoints.PUBLISHING,
        () -> {
          if (Thread.currentThread().getName().equals("first-run")) {
            held.countDown();
            await(release);
          }
        });
    List<String> stagedAfterRelease = new CopyOnWriteArrayList<>();
    Failpoints.install(
        Failpoints.STAGED,
        () ->
            stagedAfterRelease.add(
                Thread.currentThread().getName()
                    + " "
                    + (release.getCount() == 0 ? "after" : "before")
                    + " the first run was released"));
    CompletableFuture<RunResult> first = inThread("first-run", () -> runner.run(load(job)));
    assertThat(held.await(2, TimeUnit.MINUTES)).isTrue();

    CompletableFuture<RunResult> second =
        inThread("second-run", () -> runner.waitingForLease(Duration.ofMinutes(2)).run(load(job)));
    assertThat(second.isDone()).isFalse();
    release.countDown();

    Manifest firstManifest = first.get(2, TimeUnit.MINUTES).manifest();
    Manifest secondManifest = second.get(2, TimeUnit.MINUTES).manifest();
    assertThat(stagedAfterRelease)
        .as("the second run wrote nothing while the first held the export")
        .containsExactly(
            "first-run before the first run was released",
            "second-run after the first run was released");
    assertThat(Instant.parse(secondManifest.finishedAt()))
        .isAfter(Instant.parse(firstManifest.finishedAt()));
    assertThat(perDay(out())).containsExactly(Map.entry("2026-10-01", 100L));
    assertThat(dir.resolve(".out.lakeport-lease")).as("released: no holder named").isEmptyFile();
    assertThat(new Verifier(new Configuration()).verify(out().toString()).intact()).isTrue();
  }

  /**
   * A host this machine cannot see holds the export's lease in the history they share (here, a
   * lease row for host {@code other-host}, as a run there leaves it): a run here is refused naming
   * that host until the lease's heartbeat is older than {@code lock-ttl}; then it takes the lease
   * over, records the other host's run lost, and publishes.
   */
  @Test
  void aLeaseHeldOnAnotherHostKeepsRunsOffUntilItsHeartbeatExpires() throws Exception {
    Path site = site();
    Path job = job(source(300));
    String root =
        FileSystem.getLocal(new Configuration())
            .makeQualified(new org.apache.hadoop.fs.Path(out().toString()))
            .toString();
    Worker remote = new Worker("other-host", 4242);
    Duration ttl;
    try (HistoryStore history = history(site)) {
      history
          .runLog()
          .begin(
              new RunRequest("remote-run", "leased", Optional.empty(), Trigger.MANUAL, Map.of()),
              remote);
      assertThat(history.leases().leaseExport(root, "leased", "remote-run", remote)).isEmpty();
      ttl = Site.load(Optional.of(site)).history().lockTtl();
    }
    StringWriter err = new StringWriter();

    int refused =
        Lakeport.execute(
            Clock.systemUTC(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "run",
            job.toString(),
            "-p",
            "run_date=2026-10-01",
            "--site-conf=" + site);
    int later =
        Lakeport.execute(
            Clock.offset(Clock.systemUTC(), ttl.plusMinutes(1)),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "run",
            job.toString(),
            "-p",
            "run_date=2026-10-01",
            "--site-conf=" + site);

    assertThat(refused).as(err.toString()).isEqualTo(3);
    assertThat(err.toString())
        .contains(
            "another run is writing the export at", "run remote-run (host other-host, pid 4242")
        .doesNotContain("\tat ");
    assertThat(later).as(err.toString()).isZero();
    assertThat(perDay(out())).isEqualTo(Map.of("2026-10-01", 100L));
    try (HistoryStore history = history(site)) {
      assertThat(history.runLog().run("remote-run"))
          .get()
          .satisfies(
              run -> {
                assertThat(run.status()).isEqualTo(RunStatus.LOST);
                assertThat(run.error())
                    .get()
                    .asString()
                    .contains("(pid 4242 on other-host) sent no heartbeat since");
              });
      assertThat(history.leases().leaseExport(root, "leased", "next", Worker.current()))
          .as("released when the run ended")
          .isEmpty();
    }
  }

  private JobSpec load(Path job) {
    return Fixtures.job(dir, readString(job), Map.of("run_date", "2026-10-01"));
  }

  private static <T> CompletableFuture<T> inThread(String name, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(work.get());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            name);
    thread.start();
    return result;
  }

  private Path site() {
    return Fixtures.write(
        dir,
        "application.conf",
        "lakeport.history.url = \"jdbc:sqlite:" + dir.resolve("history/lakeport.db") + "\"\n");
  }

  private Path job(Path source) {
    return Fixtures.write(
        dir,
        "leased.conf",
        """
        name = leased
        params { run_date = null }
        source { format = parquet, path = "%s" }
        plan.where = { column = day, eq = ${params.run_date} }
        sink { format = parquet, path = "%s", partition-by = [day], max-records-per-file = 40 }
        """
            .formatted(source, out()));
  }

  private Path out() {
    return dir.resolve("out");
  }

  private Path source(long rows) {
    Path path = dir.resolve("source");
    DayRows.write(spark, path.toString(), rows);
    return path;
  }

  private Map<String, Long> perDay(Path export) {
    return DayRows.perDay(spark.read().parquet(export.toString()));
  }

  private static HistoryStore history(Path site) {
    return HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC());
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
