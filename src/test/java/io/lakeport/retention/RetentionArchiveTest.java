package io.lakeport.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.cli.Lakeport;
import io.lakeport.config.JobLoader;
import io.lakeport.config.Site;
import io.lakeport.fault.Failpoints;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import io.lakeport.run.Sessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives on local disk: {@code archive.keep-days} removes this job's old archives and nothing
 * else at (or beside) the archive location, and says so in the plan, the apply output and the run
 * history; an export whose archive fails verification (its files no longer match the manifest's
 * SHA-256s, or the archive is corrupted before it is read back) keeps every one of its files and
 * its manifest, leaves no archive behind, and is reported as not done.
 */
class RetentionArchiveTest {
  static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir Path dir;
  Path root;
  Path archives;
  Path site;
  FileSystem fs;
  ExportWriter writer;

  @BeforeEach
  void setUp() throws Exception {
    root = dir.resolve("exports/orders");
    archives = dir.resolve("archive");
    site =
        Files.writeString(
            dir.resolve("site.conf"),
            "lakeport.retention.minimum-days = 0\n"
                + "lakeport.history.url = \"jdbc:h2:file:"
                + dir.resolve("history").toAbsolutePath()
                + "\"\n");
    fs = FileSystem.getLocal(Sessions.hadoopConfiguration(Fixtures.site()));
    writer = new ExportWriter(fs, new org.apache.hadoop.fs.Path(root.toUri()), 5);
  }

  @AfterEach
  void clearFailpoints() {
    Failpoints.clear();
  }

  @Test
  void expiresOnlyThisJobsOldArchivesAndReportsThem() throws Exception {
    export(20);
    export(1);
    Path mine = Files.createDirectories(archives.resolve("orders"));
    String expiredZip = ExportWriter.runId(NOW.minus(Duration.ofDays(40)), 1) + ".zip";
    // written as tar.gz before the job switched to zip: still this job's archive
    String expiredTarGz = ExportWriter.runId(NOW.minus(Duration.ofDays(35)), 2) + ".tar.gz";
    String recent = ExportWriter.runId(NOW.minus(Duration.ofDays(10)), 3) + ".zip";
    Files.write(mine.resolve(expiredZip), new byte[700]);
    Files.write(mine.resolve(expiredTarGz), new byte[300]);
    Files.write(mine.resolve(recent), new byte[100]);
    String old = ExportWriter.runId(NOW.minus(Duration.ofDays(90)), 4);
    // old, but not archives of this job: a name that is no run, a folder, a hidden leftover of a
    // crashed write, another job's folder, the location itself, and beside the location
    Files.writeString(mine.resolve("notes.zip"), "notes");
    Files.createDirectories(mine.resolve(old + ".zip")).resolve("inside").toFile().createNewFile();
    Files.writeString(mine.resolve("." + old + ".zip.tmp"), "partial");
    Files.createDirectories(archives.resolve("clicks"));
    Files.writeString(archives.resolve("clicks").resolve(old + ".zip"), "clicks");
    Files.writeString(archives.resolve(old + ".zip"), "location");
    Files.writeString(dir.resolve(old + ".zip"), "beside");
    // an old archive name that is a link to a file elsewhere: the link may go, the file stays
    Path precious =
        Files.writeString(
            Files.createDirectories(dir.resolve("outside")).resolve("precious.zip"), "precious");
    Path link =
        Files.createSymbolicLink(
            mine.resolve(ExportWriter.runId(NOW.minus(Duration.ofDays(60)), 5) + ".zip"), precious);
    Map<String, String> exportsBefore = contents(root);
    Path job = job("keep.last = 2", "zip", "keep-days = 30");

    Result plan = lakeport("retention", "plan", job.toString());
    assertThat(plan.code()).as(plan.err()).isZero();
    String location = "file:" + mine.toAbsolutePath();
    assertThat(plan.out())
        .contains("  archive " + location + "/" + expiredZip + ": past keep-days, delete")
        .contains("  archive " + location + "/" + expiredTarGz + ": past keep-days, delete")
        .contains("  archive " + location + "/" + link.getFileName() + ": past keep-days, delete")
        .doesNotContain(recent)
        .doesNotContain(old);
    assertThat(mine.resolve(expiredZip)).exists();

    Result apply = lakeport("retention", "apply", job.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains(
            "  done: archive expired and deleted "
                + location
                + "/"
                + expiredZip
                + " (1 files, 700 bytes)")
        .contains(
            "  done: archive expired and deleted "
                + location
                + "/"
                + expiredTarGz
                + " (1 files, 300 bytes)")
        .containsPattern(
            "job orders retention run \\S+: 0 exports removed, 3 files, 1,\\d{3} bytes freed");
    try (Stream<Path> left = Files.list(mine)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(recent, "notes.zip", old + ".zip", "." + old + ".zip.tmp");
    }
    assertThat(mine.resolve(recent)).hasSize(100);
    assertThat(mine.resolve(old + ".zip").resolve("inside")).exists();
    assertThat(archives.resolve("clicks").resolve(old + ".zip")).hasContent("clicks");
    assertThat(archives.resolve(old + ".zip")).hasContent("location");
    assertThat(dir.resolve(old + ".zip")).hasContent("beside");
    assertThat(precious).hasContent("precious");
    assertThat(contents(root)).isEqualTo(exportsBefore);
    assertThat(retentionRuns())
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
              assertThat(run.rows()).contains(0L);
              assertThat(run.files()).contains(3L);
            });
  }

  @Test
  void anExportWhoseFilesNoLongerMatchItsManifestIsKeptWhole() throws Exception {
    String healthy = export(40);
    String rotten = export(30);
    export(1);
    // one file of the rotten export was rewritten after it was published: same size, other bytes
    String changed = "day=2026-10-25/part-00001-" + rotten + ".parquet";
    byte[] original = Files.readAllBytes(root.resolve(changed));
    byte[] flipped = original.clone();
    flipped[17] ^= 0x5a;
    writer.write(changed, flipped);
    Map<String, String> rottenBefore = filesOf(rotten);
    Path job = job("keep.last = 1", "tar.gz", "");

    Result apply = lakeport("retention", "apply", job.toString());

    assertThat(apply.code()).as(apply.out() + apply.err()).isEqualTo(3);
    assertThat(apply.out())
        .contains(
            "  not done: export "
                + rotten
                + " is kept: the archived "
                + changed
                + " has SHA-256 "
                + ExportWriter.sha256(flipped)
                + ", its manifest says "
                + ExportWriter.sha256(original));
    assertKeptWhole(rotten, rottenBefore);
    // the healthy export went its way: the failure of one export stops no other
    assertThat(apply.out()).contains("  done: export archived and deleted " + healthy);
    try (Stream<Path> left = Files.list(archives.resolve("orders"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(healthy + ".tar.gz");
    }
    assertThat(retentionRuns())
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.status()).isEqualTo(RunStatus.FAILED);
              assertThat(run.error())
                  .get()
                  .asString()
                  .startsWith("1 not done: export " + rotten + " is kept: the archived");
            });
  }

  @Test
  void anArchiveCorruptedBeforeItIsReadBackKeepsTheExportWhole() throws Exception {
    String doomed = export(30);
    export(1);
    Map<String, String> before = filesOf(doomed);
    Path archive = archives.resolve("orders").resolve(doomed + ".tar.gz");
    // the disk under the archive location loses the second half of the archive once it is written
    Failpoints.install(Retention.FAILPOINT_ARCHIVED, () -> truncate(archive));

    Retention.Result result = apply(job("keep.last = 1", "tar.gz", ""));

    assertThat(result.failures())
        .singleElement()
        .asString()
        .startsWith(
            "export " + doomed + " is kept: the archive " + archive + " cannot be read back: ");
    assertThat(result.actions()).isEmpty();
    assertKeptWhole(doomed, before);
    assertThat(archives.resolve("orders")).isEmptyDirectory();
  }

  @Test
  void anArchiveThatCannotBeWrittenKeepsTheExportWhole() throws Exception {
    String doomed = export(30);
    export(1);
    // the job's archive folder is taken by a file: no archive can be created under it
    Files.createDirectories(archives);
    Files.writeString(archives.resolve("orders"), "not a folder");
    Map<String, String> before = filesOf(doomed);

    Retention.Result result = apply(job("keep.last = 1", "zip", ""));

    assertThat(result.failures())
        .singleElement()
        .asString()
        .startsWith(
            "export "
                + doomed
                + " is kept: the archive "
                + archives.resolve("orders").resolve(doomed + ".zip")
                + " cannot be written: ");
    assertThat(result.actions()).isEmpty();
    assertKeptWhole(doomed, before);
    assertThat(archives.resolve("orders")).hasContent("not a folder");
  }

  private Retention.Result apply(Path job) throws IOException {
    Retention retention =
        new Retention(
            Sessions.hadoopConfiguration(Fixtures.site()),
            Clock.fixed(NOW, ZoneOffset.UTC),
            () -> {
              throw new AssertionError("no Spark for file sinks");
            });
    return retention.apply(
        new JobLoader(Site.load(Optional.of(site))).load(job, Map.of(), JobLoader.Mode.VALIDATE),
        Map.of());
  }

  /**
   * The export's files are all there with their bytes, its manifest is published, none is retired.
   */
  private void assertKeptWhole(String runId, Map<String, String> files) throws IOException {
    assertThat(filesOf(runId)).isEqualTo(files);
    assertThat(root.resolve("_lakeport/manifest-" + runId + ".json")).isRegularFile();
    assertThat(root.resolve("_lakeport/retired/manifest-" + runId + ".json")).doesNotExist();
  }

  private String export(int daysAgo) throws IOException {
    Instant published = NOW.minus(Duration.ofDays(daysAgo));
    String runId = ExportWriter.runId(published.minusSeconds(60), daysAgo);
    writer.export(
        runId,
        published.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1),
        published,
        2,
        300,
        true);
    return runId;
  }

  private Path job(String keep, String format, String keepDays) throws IOException {
    return Fixtures.write(
        dir,
        "orders.conf",
        """
        name = orders
        time-zone = UTC
        source { format = parquet, path = /in }
        sink { format = parquet, path = "%s", partition-by = [day] }
        retention { %s, archive { location = "%s", format = %s%s } }
        """
            .formatted(root, keep, archives, format, keepDays.isEmpty() ? "" : ", " + keepDays));
  }

  private List<Run> retentionRuns() {
    try (HistoryStore history =
        HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC())) {
      return history
          .runLog()
          .runs(new RunFilter(Optional.of("orders.retention"), Optional.empty(), 5));
    }
  }

  /** Every file of a run under the root (its data, rejects and manifest) with its SHA-256. */
  private Map<String, String> filesOf(String runId) throws IOException {
    Map<String, String> files = new TreeMap<>(contents(root));
    files.keySet().removeIf(path -> !path.contains(runId));
    return files;
  }

  /** Every file under {@code folder} (checksum files aside), relative path to SHA-256. */
  private static Map<String, String> contents(Path folder) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".crc"))
          .forEach(
              p -> {
                try {
                  files.put(
                      folder.relativize(p).toString(), ExportWriter.sha256(Files.readAllBytes(p)));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    return files;
  }

  private static void truncate(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Result(int code, String out, String err) {}

  private Result lakeport(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--site-conf=" + site;
    int code =
        Lakeport.execute(
            Clock.fixed(NOW, ZoneOffset.UTC),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            all);
    return new Result(code, out.toString(), err.toString());
  }
}
