package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code bin/lakeport} launcher and its class-data archive: the first {@code run} records
 * it, later commands map it (the JVM's own class-loading log says where each class came from),
 * {@code LAKEPORT_CDS=off} leaves it out, and a failed or stopped run leaves neither an archive nor
 * a partial file behind.
 */
class LauncherIT {
  private static final Path REPO =
      Path.of(System.getProperty("it.lakeport.jar")).toAbsolutePath().getParent().getParent();
  private static final String LAKEPORT_MAIN = "io.lakeport.cli.Lakeport ";

  @TempDir static Path home;

  @BeforeAll
  static void writeHome() throws IOException {
    Files.createDirectories(home.resolve("conf"));
    Files.copy(REPO.resolve("conf/log4j2.properties"), home.resolve("conf/log4j2.properties"));
    Files.writeString(
        home.resolve("conf/application.conf"),
        "lakeport.exports = \""
            + home.resolve("exports")
            + "\"\n"
            // the slow job sleeps in reflect('java.lang.Thread', 'sleep', ...)
            + "lakeport.sql.allow-java-methods = true\n");
    Path source = Files.createDirectories(home.resolve("warehouse/events"));
    StringBuilder csv = new StringBuilder("id,kind\n");
    for (int i = 0; i < 500; i++) {
      csv.append(i).append(',').append(i % 5 == 0 ? "click" : "view").append('\n');
    }
    Files.writeString(source.resolve("events.csv"), csv);
    Files.writeString(
        home.resolve("clicks.conf"),
        """
        name = clicks
        source { format = csv, path = "%s", options { header = true, infer-schema = true } }
        plan.where = { column = kind, eq = click }
        sink { format = parquet, path = "%s" }
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
    Path slowSource = Files.createDirectories(home.resolve("warehouse/slow"));
    Files.writeString(slowSource.resolve("rows.csv"), "id\n1\n");
    Files.writeString(
        home.resolve("slow.conf"),
        """
        name = slow
        source { format = csv, path = "%s", options { header = true } }
        plan.derive { slow = "reflect('java.lang.Thread', 'sleep', cast(600000 as bigint))" }
        sink { format = parquet, path = "%s" }
        """
            .formatted(slowSource, home.resolve("exports/slow")));
  }

  @Test
  void theFirstRunRecordsTheArchiveAndLaterCommandsMapIt() throws Exception {
    Path cds = Files.createDirectories(home.resolve("cds-first"));
    Map<String, String> env = Map.of("LAKEPORT_CDS_DIR", cds.toString());

    Finished validate = launch(env, "validate", home.resolve("clicks.conf").toString());
    assertThat(validate.exitCode()).as(validate.output()).isZero();
    assertThat(files(cds)).as("only run and demo record the archive").isEmpty();

    Finished first = launch(env, "run", home.resolve("clicks.conf").toString());
    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.output())
        .contains("job clicks run")
        .contains(": 100 rows")
        .contains("records a class-data archive")
        .doesNotContain("[cds]")
        .doesNotContain("[warning]");
    List<String> recorded = files(cds);
    assertThat(recorded).as("one archive, no partial file").hasSize(1);
    assertThat(recorded.get(0)).matches("lakeport-[0-9]+\\.jsa");

    Path classLog = home.resolve("classes-archive.log");
    Finished second =
        launch(
            Map.of(
                "LAKEPORT_CDS_DIR",
                cds.toString(),
                "LAKEPORT_JAVA_OPTS",
                "-Xlog:class+load=info:file=" + classLog),
            "run",
            home.resolve("clicks.conf").toString());
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output())
        .contains(": 100 rows")
        .doesNotContain("records a class-data archive");
    assertThat(loadedFrom(classLog)).isEqualTo("shared objects file (top)");
    assertThat(files(cds)).isEqualTo(recorded);

    Path plainLog = home.resolve("classes-off.log");
    Finished off =
        launch(
            Map.of(
                "LAKEPORT_CDS_DIR",
                cds.toString(),
                "LAKEPORT_CDS",
                "off",
                "LAKEPORT_JAVA_OPTS",
                "-Xlog:class+load=info:file=" + plainLog),
            "run",
            home.resolve("clicks.conf").toString());
    assertThat(off.exitCode()).as(off.output()).isZero();
    assertThat(loadedFrom(plainLog)).startsWith("file:").endsWith(".jar");
  }

  @Test
  void aFailedRunRecordsNothingAndKeepsItsExitCode() throws Exception {
    Path cds = Files.createDirectories(home.resolve("cds-failed"));

    Finished failed =
        launch(
            Map.of("LAKEPORT_CDS_DIR", cds.toString()),
            "run",
            home.resolve("missing.conf").toString());

    assertThat(failed.exitCode()).as(failed.output()).isEqualTo(2);
    assertThat(failed.output())
        .contains("missing.conf:2: source: cannot read " + home.resolve("warehouse/none"));
    assertThat(files(cds)).isEmpty();
  }

  @Test
  void aStoppedRecordingRunStopsItsJvmAndLeavesNoPartialArchive() throws Exception {
    Path cds = Files.createDirectories(home.resolve("cds-stopped"));
    Process launcher =
        start(
            Map.of("LAKEPORT_CDS_DIR", cds.toString()),
            "run",
            home.resolve("slow.conf").toString());
    List<String> output = new ArrayList<>();
    CompletableFuture<Boolean> started =
        CompletableFuture.supplyAsync(() -> readUntil(launcher, output, "of job slow started"));
    assertThat(started.get(3, TimeUnit.MINUTES)).as(String.join("\n", output)).isTrue();
    List<ProcessHandle> jvms = launcher.descendants().toList();
    assertThat(jvms).as("the launcher waits for its JVM instead of exec-ing it").isNotEmpty();
    assertThat(files(cds)).as("the partial archive while recording").hasSize(1);

    launcher.destroy(); // SIGTERM to the launcher script only

    assertThat(launcher.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(launcher.exitValue()).isEqualTo(128 + 15);
    assertThat(jvms).noneMatch(ProcessHandle::isAlive);
    assertThat(files(cds)).isEmpty();
    assertThat(home.resolve("exports/slow/_SUCCESS")).doesNotExist();
  }

  /** Where the JVM loaded Lakeport's main class from, as its class-loading log says. */
  private static String loadedFrom(Path classLog) throws IOException {
    try (Stream<String> lines = Files.lines(classLog)) {
      String line = lines.filter(l -> l.contains(LAKEPORT_MAIN)).findFirst().orElseThrow();
      return line.substring(line.indexOf("source: ") + "source: ".length()).trim();
    }
  }

  private static List<String> files(Path folder) throws IOException {
    try (Stream<Path> listing = Files.list(folder)) {
      return listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private record Finished(int exitCode, String output) {}

  private static Finished launch(Map<String, String> env, String... args) throws Exception {
    Process process = start(env, args);
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertThat(process.waitFor(4, TimeUnit.MINUTES))
        .as("bin/lakeport %s ended", String.join(" ", args))
        .isTrue();
    return new Finished(process.exitValue(), output.get(1, TimeUnit.MINUTES));
  }

  private static Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(REPO.resolve("bin/lakeport").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
    builder.environment().put("LAKEPORT_HOME", home.toString());
    builder.environment().put("LAKEPORT_DRIVER_MEMORY", "1g");
    builder.environment().remove("LAKEPORT_CDS");
    builder.environment().remove("LAKEPORT_JAVA_OPTS");
    builder.environment().putAll(env);
    return builder.start();
  }

  private static boolean readUntil(Process process, List<String> output, String marker) {
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.add(line);
        if (line.contains(marker)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
