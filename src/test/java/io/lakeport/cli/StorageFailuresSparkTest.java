package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job mistakes and storage failures end in a line or two that say what failed, on which path, and
 * the root cause in words, with no stack frame, on the command's stderr and in the console log;
 * {@code --verbose} shows the traces. The failures are real: a missing source, random bytes named
 * {@code x.parquet}, a 1 MB tmpfs as the sink, and a read-only bind mount as the sink (both mounted
 * by the test, which runs as root; it is skipped where mounting is impossible).
 */
class StorageFailuresSparkTest {
  /** A stack frame, a cause, or the driver's trace: none may reach a user without --verbose. */
  private static final Pattern TRACE =
      Pattern.compile("(?m)^\\s+at |Caused by|^\\s+\\.\\.\\. \\d+ more|Driver stacktrace");

  @TempDir Path dir;
  private Path site;
  private Path warehouse;
  private Path exports;
  private final List<Path> mounted = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void siteWithTemporaryFolders() throws IOException {
    warehouse = Files.createDirectories(dir.resolve("warehouse"));
    exports = Files.createDirectories(dir.resolve("exports"));
    site =
        Fixtures.write(
            Files.createDirectories(dir.resolve("conf")),
            "application.conf",
            "lakeport { warehouse = \""
                + warehouse
                + "\", exports = \""
                + exports
                + "\", history.url = \"jdbc:h2:file:"
                + dir.resolve("history/lakeport")
                + "\" }\n");
  }

  @AfterEach
  void unmount() {
    for (int i = mounted.size() - 1; i >= 0; i--) {
      shell("umount", mounted.get(i).toString());
    }
  }

  @Test
  void aMissingSourceIsAJobMistakeThatNamesItsPath() {
    TestSpark.session();
    Path job = missingSourceJob();

    int code = Cli.lakeport(site, out, err, "run", job.toString());

    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            Fixtures.displayed(job) + ":2: source: cannot read " + warehouse.resolve("none"))
        .contains("Path does not exist")
        .doesNotContainPattern(TRACE);
  }

  @Test
  void aCorruptParquetFileIsNamedWithItsReason() throws IOException {
    TestSpark.session();
    Path job = corruptSourceJob();

    int code = Cli.lakeport(site, out, err, "run", job.toString());

    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(err.toString().lines().toList())
        .as(err.toString())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("error: Cannot read file:" + warehouse.resolve("corrupt/x.parquet") + ": ")
        .contains("not a Parquet file");
    assertThat(err.toString()).doesNotContainPattern(TRACE);
  }

  @Test
  void aFullDiskSaysNoSpaceLeftOnDeviceAndWhere() throws IOException {
    TestSpark.session();
    Path job = fullDiskJob();

    int code = Cli.lakeport(site, out, err, "run", job.toString());

    assertThat(code).as(err.toString()).isEqualTo(3);
    String first = err.toString().lines().findFirst().orElseThrow();
    assertThat(first)
        .startsWith("error: Cannot write file:" + exports.resolve("full/out") + "/_lakeport/")
        .endsWith(": No space left on device");
    assertThat(err.toString()).doesNotContainPattern(TRACE);
  }

  @Test
  void aReadOnlyMountSaysReadOnlyFileSystemAndWhere() throws IOException {
    TestSpark.session();
    Path job = readOnlySinkJob();

    int code = Cli.lakeport(site, out, err, "run", job.toString());

    assertThat(code).as(err.toString()).isEqualTo(3);
    String first = err.toString().lines().findFirst().orElseThrow();
    assertThat(first)
        // the run's first write is its claim on the folder (_lakeport/claimed-by)
        .startsWith("error: Cannot write the export for job ro")
        .contains("Mkdirs failed to create file:" + exports.resolve("ro") + "/_lakeport ")
        .endsWith("(Read-only file system)");
    assertThat(err.toString()).doesNotContainPattern(TRACE);
  }

  @Test
  void verbosePrintsTheWholeTraceAfterTheLine() throws IOException {
    TestSpark.session();
    Path job = corruptSourceJob();

    int code = Cli.lakeport(site, out, err, "run", job.toString(), "--verbose");

    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(err.toString())
        .startsWith("error: Cannot read file:" + warehouse.resolve("corrupt/x.parquet"))
        .containsPattern("(?m)^\\s+at org\\.apache\\.parquet\\.")
        .contains("Caused by: ");
  }

  /**
   * The launcher's own log settings ({@code conf/log4j2.properties}) in a real {@code lakeport}
   * process: Spark's task failures and warnings appear without their traces, each job's failure in
   * its line; with {@code --verbose} the traces are back, in the log and after the line.
   */
  @Test
  void theConsoleLogHasNoTracesUnlessVerbose() throws Exception {
    Path home = site.getParent().getParent(); // its conf/application.conf is the site
    List<String> launcherLog =
        List.of(
            "-Dlog4j2.configurationFile=" + Path.of("conf", "log4j2.properties").toAbsolutePath());
    String missing = missingSourceJob().toString();
    String corrupt = corruptSourceJob().toString();
    String full = fullDiskJob().toString();
    String readOnly = readOnlySinkJob().toString();

    ChildLakeport.Finished brief =
        ChildLakeport.run(
            home, Duration.ofMinutes(5), launcherLog, "run", missing, corrupt, full, readOnly);

    assertThat(brief.exitCode()).as(brief.output()).isEqualTo(3);
    assertThat(brief.output())
        .as(brief.output())
        .doesNotContainPattern(TRACE)
        // a run's thread tags its lines with the job and run ids
        .containsPattern("WARN (\\[\\S+ \\S+\\] )?FileStreamSink: Assume no metadata directory")
        .contains(":2: source: cannot read " + warehouse.resolve("none"))
        .contains("error: Cannot read file:" + warehouse.resolve("corrupt/x.parquet"))
        .containsPattern("error: Cannot write file:\\S+/full/out/\\S+: No space left on device")
        .containsPattern(
            "error: Cannot write the export for job ro .*: Mkdirs failed to create \\S+/ro/_lakeport"
                + " .*\\(Read-only file system\\)")
        .containsPattern("(?m)^missing\\s+\\S+\\s+failed\\s+0\\s+2$")
        .containsPattern("(?m)^full\\s+\\S+\\s+failed\\s+0\\s+3$");

    ChildLakeport.Finished verbose =
        ChildLakeport.run(home, Duration.ofMinutes(5), launcherLog, "--verbose", "run", corrupt);

    assertThat(verbose.exitCode()).as(verbose.output()).isEqualTo(3);
    assertThat(verbose.output())
        .containsPattern("(?m)^\\s+at org\\.apache\\.spark\\.executor\\.Executor")
        .contains("Caused by: ")
        .contains("error: Cannot read file:" + warehouse.resolve("corrupt/x.parquet"));
  }

  private Path missingSourceJob() {
    return job("missing", "parquet", warehouse.resolve("none"), exports.resolve("missing"));
  }

  /** Random bytes named x.parquet: no Parquet footer at their end. */
  private Path corruptSourceJob() throws IOException {
    Path corrupt = Files.createDirectories(warehouse.resolve("corrupt"));
    byte[] bytes = new byte[5_000];
    new Random(7).nextBytes(bytes);
    Files.write(corrupt.resolve("x.parquet"), bytes);
    return job("corrupt", "parquet", corrupt, exports.resolve("corrupt"));
  }

  /** About 2.7 MB of CSV that does not compress, exported as CSV to a 1 MB tmpfs. */
  private Path fullDiskJob() throws IOException {
    Path mount = Files.createDirectories(exports.resolve("full"));
    mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
    mounted.add(mount);
    Path big = Files.createDirectories(warehouse.resolve("big"));
    Random random = new Random(11);
    StringBuilder csv = new StringBuilder("id,payload\n");
    byte[] payload = new byte[60];
    for (int i = 0; i < 30_000; i++) {
      random.nextBytes(payload);
      csv.append(i).append(',').append(Base64.getEncoder().encodeToString(payload)).append('\n');
    }
    Files.writeString(big.resolve("big.csv"), csv, StandardCharsets.UTF_8);
    return Fixtures.write(
        dir,
        "full.conf",
        """
        name = full
        source { format = csv, path = "%s", options { header = true } }
        sink { format = csv, path = "%s" }
        """
            .formatted(big, mount.resolve("out")));
  }

  /** The sink is itself a read-only bind mount of an empty folder. */
  private Path readOnlySinkJob() throws IOException {
    Path source = Files.createDirectories(warehouse.resolve("rows"));
    Files.writeString(source.resolve("rows.csv"), "id,kind\n1,a\n2,b\n");
    Path backing = Files.createDirectories(dir.resolve("backing"));
    Path mount = Files.createDirectories(exports.resolve("ro"));
    mount("--bind", backing.toString(), mount.toString());
    mounted.add(mount);
    mount("-o", "remount,bind,ro", mount.toString());
    return Fixtures.write(
        dir,
        "ro.conf",
        """
        name = ro
        source { format = csv, path = "%s", options { header = true } }
        sink { format = parquet, path = "%s" }
        """
            .formatted(source, mount));
  }

  private Path job(String name, String format, Path source, Path sink) {
    return Fixtures.write(
        dir,
        name + ".conf",
        """
        name = %s
        source { format = %s, path = "%s" }
        sink { format = parquet, path = "%s" }
        """
            .formatted(name, format, source, sink));
  }

  /** Mounts as asked, or skips the test where this machine does not let it mount. */
  private static void mount(String... args) {
    List<String> command = new ArrayList<>(List.of("mount"));
    command.addAll(List.of(args));
    Shell result = shell(command.toArray(String[]::new));
    assumeTrue(
        result.exitCode() == 0,
        () ->
            "this test mounts a tmpfs and a read-only bind mount, which needs root (or"
                + " CAP_SYS_ADMIN); `"
                + String.join(" ", command)
                + "` said: "
                + result.output());
  }

  private record Shell(int exitCode, String output) {}

  private static Shell shell(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Shell(process.waitFor(), output.strip());
    } catch (IOException e) {
      return new Shell(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
