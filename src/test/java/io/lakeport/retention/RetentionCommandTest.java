package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.Fixtures;
import io.lakeport.cli.Lakeport;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.notify.NotifyFixtures;
import io.lakeport.notify.Receiver;
import io.lakeport.run.Sessions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport retention plan|apply|restore} end to end on local disk: plan explains and changes
 * nothing, apply removes and archives what plan said and records a run of {@code <job>.retention},
 * restore unpacks the archive with its checks, apply announces what it removed to a webhook on
 * 127.0.0.1 (retention-applied), and a job file or target mistake is a clear exit 2.
 */
class RetentionCommandTest {
  @TempDir Path dir;

  @Test
  void planThenApplyThenRestore() throws Exception {
    Path root = dir.resolve("exports/orders");
    ExportWriter writer =
        new ExportWriter(
            FileSystem.getLocal(Sessions.hadoopConfiguration(Fixtures.site())),
            new org.apache.hadoop.fs.Path(root.toUri()),
            11);
    Instant now = Instant.now();
    String old = ExportWriter.runId(now.minus(Duration.ofDays(30)), 1);
    List<String> oldFiles =
        writer.export(
            old,
            now.minus(Duration.ofDays(30)).atZone(ZoneOffset.UTC).toLocalDate(),
            now.minus(Duration.ofDays(30)),
            2,
            500,
            true);
    String newest = ExportWriter.runId(now.minus(Duration.ofDays(2)), 2);
    writer.export(
        newest,
        now.minus(Duration.ofDays(2)).atZone(ZoneOffset.UTC).toLocalDate(),
        now.minus(Duration.ofDays(2)),
        1,
        500,
        false);
    Path archives = dir.resolve("archive");
    Path site =
        Files.writeString(
            dir.resolve("site.conf"),
            "lakeport.history.url = \"jdbc:h2:file:"
                + dir.resolve("history").toAbsolutePath()
                + "\"\n");
    Path job =
        Fixtures.write(
            dir,
            "orders.conf",
            """
        name = orders
        source { format = parquet, path = /in }
        sink { format = parquet, path = "%s", partition-by = [day] }
        retention { keep.days = 7, archive { location = "%s", format = zip } }
        """
                .formatted(root, archives));

    Result plan = lakeport(site, "retention", "plan", job.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("job orders: file:" + root)
        .contains("policy: keep exports younger than 7 days (by logical date)")
        .containsPattern(old + " .* archive\\+delete +no rule keeps it")
        .containsPattern(newest + " .* keep +the newest export; younger than 7 days")
        .contains("would remove 1 of 2 exports and 0 leftovers: 3 files, 1,050 bytes");
    oldFiles.forEach(f -> assertThat(root.resolve(f)).exists());

    Result apply = lakeport(site, "retention", "apply", job.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .containsPattern(
            "job orders retention run \\S+: 1 exports removed, 3 files, 1,050 bytes freed");
    oldFiles.forEach(f -> assertThat(root.resolve(f)).doesNotExist());
    Path archive = archives.resolve("orders").resolve(old + ".zip");
    assertThat(archive).isRegularFile();
    try (HistoryStore history =
        HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC())) {
      List<Run> runs =
          history
              .runLog()
              .runs(new RunFilter(Optional.of("orders.retention"), Optional.empty(), 5));
      assertThat(runs)
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.rows()).contains(1L);
                assertThat(run.files()).contains(3L);
                assertThat(run.bytes()).contains(1050L);
              });
    }

    Path restored = dir.resolve("restored");
    Result restore =
        lakeport(site, "retention", "restore", archive.toString(), "--to", restored.toString());
    assertThat(restore.code()).as(restore.err()).isZero();
    assertThat(restore.out()).contains("restored 4 files");
    assertThat(restored.resolve("_lakeport/manifest-" + old + ".json")).isRegularFile();
    oldFiles.forEach(f -> assertThat(restored.resolve(f)).isRegularFile());
  }

  @Test
  void applyAnnouncesWhatItRemovedAsRetentionApplied() throws Exception {
    Path root = dir.resolve("exports/orders");
    ExportWriter writer =
        new ExportWriter(
            FileSystem.getLocal(Sessions.hadoopConfiguration(Fixtures.site())),
            new org.apache.hadoop.fs.Path(root.toUri()),
            11);
    Instant now = Instant.now();
    for (int days : new int[] {40, 30, 20}) {
      Instant published = now.minus(Duration.ofDays(days));
      writer.export(
          ExportWriter.runId(published, days),
          published.atZone(ZoneOffset.UTC).toLocalDate(),
          published,
          2,
          500,
          false);
    }
    Instant recent = now.minus(Duration.ofDays(2));
    writer.export(
        ExportWriter.runId(recent, 2),
        recent.atZone(ZoneOffset.UTC).toLocalDate(),
        recent,
        1,
        500,
        false);
    try (Receiver receiver = Receiver.answering()) {
      Path site =
          Files.writeString(
              dir.resolve("site.conf"),
              "lakeport {\n  history.url = \"jdbc:h2:file:"
                  + dir.resolve("history").toAbsolutePath()
                  + "\"\n  notifications {\n    channels.hook { type = webhook, url = \""
                  + receiver.url("/hook")
                  + "\" }\n    subscriptions.hook { events = [retention-applied] }\n  }\n}\n");
      Path job =
          Fixtures.write(
              dir,
              "orders.conf",
              """
          name = orders
          source { format = parquet, path = /in }
          sink { format = parquet, path = "%s", partition-by = [day] }
          retention.keep.days = 7
          """
                  .formatted(root));

      Result apply = lakeport(site, "retention", "apply", job.toString());

      assertThat(apply.code()).as(apply.err()).isZero();
      Matcher done =
          Pattern.compile(
                  "job orders retention run (\\S+): 3 exports removed, \\d+ files, ([\\d,]+) bytes freed")
              .matcher(apply.out());
      assertThat(done.find()).as(apply.out()).isTrue();
      long freed = Long.parseLong(done.group(2).replace(",", ""));
      Receiver.Request request = receiver.next(Duration.ofSeconds(20));
      assertThat(request.header("X-Lakeport-Event")).isEqualTo("retention-applied");
      JsonNode payload = new ObjectMapper().readTree(request.body());
      assertThat(NotifyFixtures.schemaProblems(payload)).isEmpty();
      assertThat(payload.get("event").asText()).isEqualTo("retention-applied");
      assertThat(payload.get("level").asText()).isEqualTo("info");
      assertThat(payload.get("job").asText()).isEqualTo("orders");
      assertThat(payload.get("run_id").asText()).isEqualTo(done.group(1));
      assertThat(payload.get("status").asText()).isEqualTo("applied");
      assertThat(payload.get("retention").get("exports_deleted").asLong()).isEqualTo(3);
      assertThat(payload.get("retention").get("exports_archived").asLong()).isZero();
      assertThat(payload.get("retention").get("bytes_freed").asLong())
          .isEqualTo(freed)
          .isGreaterThanOrEqualTo(3 * 2 * 500);
      assertThat(receiver.count()).as("sent once").isZero();
      try (HistoryStore history =
          HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC())) {
        assertThat(history.runLog().run(done.group(1)).orElseThrow().bytes()).contains(freed);
        assertThat(history.deliveries().notifications(done.group(1)))
            .extracting(Notification::delivery)
            .containsExactly(Notification.Delivery.SENT);
      }
    }
  }

  @Test
  void applyWantsJobsOrAllAndRestoreANewFolder() throws Exception {
    Path site = Files.writeString(dir.resolve("site.conf"), "");
    Result none = lakeport(site, "retention", "apply");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("Missing required argument").contains("--all");

    Result existing =
        lakeport(
            site, "retention", "restore", dir.resolve("x.zip").toString(), "--to", dir.toString());
    assertThat(existing.code()).isEqualTo(2);
    assertThat(existing.err()).contains(dir + " exists; restore into a new folder.");
  }

  private record Result(int code, String out, String err) {}

  private static Result lakeport(Path site, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--site-conf=" + site;
    int code = Lakeport.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Result(code, out.toString(), err.toString());
  }
}
