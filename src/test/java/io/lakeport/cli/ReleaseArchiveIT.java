package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The release archive as a user installs it: {@code target/lakeport-<version>-bin.tar.gz} is
 * extracted into an empty folder and its {@code bin/lakeport} runs with an empty {@code HOME}, a
 * {@code PATH} holding only java, bash and the few coreutils the launcher uses (no Maven), no
 * {@code ~/.m2}, and {@code SPARK_HOME} the Spark home the build assembles. It checks a real export
 * end to end ({@code validate}, {@code run}, {@code run-now} with {@code scheduler start --once},
 * {@code verify}), {@code --help} on every command of picocli's model, and the one-line errors of a
 * missing Spark.
 */
class ReleaseArchiveIT {
  private static final Path ARCHIVE = Path.of(System.getProperty("it.lakeport.archive"));
  private static final Path SPARK_HOME = Path.of(System.getProperty("it.lakeport.spark.home"));

  /** What the launcher and the JVM it starts call, besides java and bash. */
  private static final List<String> TOOLS =
      List.of(
          "env",
          "dirname",
          "readlink",
          "stat",
          "cksum",
          "cut",
          "mkdir",
          "mktemp",
          "mv",
          "rm",
          "find",
          "ls",
          "cat",
          "chmod",
          "uname",
          "sh");

  @TempDir static Path work;
  private static Path install;
  private static Path path;

  @BeforeAll
  static void install() throws Exception {
    Path target = Files.createDirectories(work.resolve("opt"));
    Process tar =
        new ProcessBuilder("tar", "xzf", ARCHIVE.toString(), "-C", target.toString())
            .redirectErrorStream(true)
            .start();
    String tarOutput = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor()).as(tarOutput).isZero();
    try (Stream<Path> roots = Files.list(target)) {
      List<Path> all = roots.toList();
      assertThat(all).as("one folder, lakeport-<version>").hasSize(1);
      install = all.get(0);
    }
    assertThat(install.getFileName().toString()).startsWith("lakeport-");
    Files.createDirectories(work.resolve("home"));
    path = toolFolder();
  }

  @Test
  void holdsTheLauncherTheJarAndWhatAnInstallNeedsButNoSources() throws IOException {
    assertThat(install.resolve("bin/lakeport")).isExecutable();
    assertThat(install.resolve("lib/jvm-flags")).content().doesNotContain("incubator");
    assertThat(install.resolve("conf/application.conf")).isRegularFile();
    assertThat(install.resolve("conf/log4j2.properties")).isRegularFile();
    assertThat(install.resolve("docs/manifest.schema.json")).isRegularFile();
    assertThat(install.resolve("README.md")).isRegularFile();
    assertThat(install.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
    assertThat(install.resolve("systemd/lakeport-scheduler.service"))
        .content()
        .contains("ExecStart=/opt/lakeport/bin/lakeport scheduler start");
    try (Stream<Path> jobs = Files.list(install.resolve("jobs"))) {
      assertThat(jobs.map(p -> p.getFileName().toString())).contains("persons-directory.conf");
    }
    try (Stream<Path> lib = Files.list(install.resolve("lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")))
          .singleElement()
          .asString()
          .startsWith("lakeport-");
    }
    try (Stream<Path> accelerator = Files.list(install.resolve("lib/accelerator"))) {
      assertThat(accelerator.map(p -> p.getFileName().toString()))
          .singleElement()
          .asString()
          .startsWith("comet-spark-spark4.1_2.13-");
    }
    assertThat(install.resolve("src")).doesNotExist();
    assertThat(install.resolve("pom.xml")).doesNotExist();
    assertThat(path.resolve("mvn")).doesNotExist();
  }

  @Test
  void completesEveryCommandInBash() throws Exception {
    Path script = install.resolve("completion/lakeport.bash");
    Finished completion =
        launch(
            Map.of(),
            List.of(
                "bash",
                "-c",
                "source \"$0\" && COMP_WORDS=(lakeport sch) COMP_CWORD=1"
                    + " && _picocli_lakeport 2>/dev/null"
                    + " && printf '%s\\n' \"${COMPREPLY[@]}\"",
                script.toString()));

    assertThat(completion.exitCode()).as(completion.output()).isZero();
    assertThat(completion.output().lines())
        .containsExactlyInAnyOrder("schedule", "schema", "scheduler");
  }

  @Test
  void runsAnExportTheSchedulerAndVerifyAgainstSparkHome() throws Exception {
    Map<String, String> site = site();
    Path job = writeJob();

    Finished version = lakeport(site, "--version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).matches("lakeport [0-9][^\\n]*\\n");

    Finished validate = lakeport(site, "validate", job.toString());
    assertThat(validate.exitCode()).as(validate.output()).isZero();
    assertThat(validate.output()).contains("clicks");

    Finished run = lakeport(site, "run", job.toString());
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("job clicks run").contains(": 100 rows");
    assertThat(warnings(run.output())).isEmpty();

    // the Comet accelerator from lib/accelerator: the run succeeds without a native log line or a
    // warning on the console, and explain shows the operators that ran natively
    Finished comet = lakeport(site, "run", job.toString(), "--accelerator", "comet");
    assertThat(comet.exitCode()).as(comet.output()).isZero();
    assertThat(comet.output()).contains("job clicks run").contains(": 100 rows");
    assertThat(comet.output()).doesNotContain("lib.rs", "unavailable");
    assertThat(warnings(comet.output())).isEmpty();
    // the csv source is Spark's; the parquet export just written is read by Comet's native scan
    Path parquetJob = work.resolve("clicks-again.conf");
    Files.writeString(
        parquetJob,
        """
        name = clicks-again
        source { format = parquet, path = "%s" }
        plan.where = { column = kind, eq = click }
        sink { format = parquet, path = "%s" }
        """
            .formatted(work.resolve("exports/clicks"), work.resolve("exports/clicks-again")));
    Finished explain = lakeport(site, "explain", parquetJob.toString(), "--accelerator", "comet");
    assertThat(explain.exitCode()).as(explain.output()).isZero();
    assertThat(explain.output())
        .containsPattern("Comet runs [1-9]\\d* of \\d+ operators natively")
        .contains("  native  Comet");

    Finished queued = lakeport(site, "run-now", job.toString());
    assertThat(queued.exitCode()).as(queued.output()).isZero();
    Matcher runId = Pattern.compile("queued run (\\S+) of job clicks").matcher(queued.output());
    assertThat(runId.find()).as(queued.output()).isTrue();

    Finished scheduler = lakeport(site, "scheduler", "start", "--once", job.toString());
    assertThat(scheduler.exitCode()).as(scheduler.output()).isZero();
    assertThat(scheduler.output())
        .contains("Run " + runId.group(1) + " of job clicks published: 100 rows")
        .contains("run " + runId.group(1) + " of job clicks: succeeded");

    Finished verify = lakeport(site, "verify", work.resolve("exports/clicks").toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output())
        .startsWith("intact: 1 files")
        .contains("of job clicks run " + runId.group(1));
  }

  @Test
  void everyCommandHasHelpWithoutNullsOrJvmWarnings() throws Exception {
    List<List<String>> commands = new ArrayList<>();
    collect(Lakeport.commandLine(Clock.systemUTC()), List.of(), commands);
    assertThat(commands).as("the tree was walked").hasSizeGreaterThan(20);
    // One JVM per command: the client compiler and the serial collector only, to spend less CPU
    // starting them; the launcher's own flags (and any warning they cause) stay as they are.
    Map<String, String> env = new HashMap<>(site());
    env.put("LAKEPORT_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Map<List<String>, Future<Finished>> helps = new HashMap<>();
      for (List<String> command : commands) {
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        helps.put(command, pool.submit(() -> lakeport(env, args.toArray(String[]::new))));
      }
      for (List<String> command : commands) {
        Finished help = helps.get(command).get(2, TimeUnit.MINUTES);
        String line = String.join(" ", command);
        assertThat(help.exitCode()).as("lakeport %s --help: %s", line, help.output()).isZero();
        assertThat(help.output())
            .as("lakeport %s --help", line)
            .contains("Usage: " + String.join(" ", prepend("lakeport", command)))
            .doesNotContain("null");
        assertThat(warnings(help.output())).as("lakeport %s --help", line).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withoutSparkHomeItSaysWhatToSetInOneLine() throws Exception {
    Map<String, String> noSpark = new HashMap<>(site());
    noSpark.remove("SPARK_HOME");
    Finished unset = lakeport(noSpark, "--version");
    assertThat(unset.exitCode()).isEqualTo(2);
    assertThat(unset.output()).startsWith("lakeport: SPARK_HOME is not set: ").hasLineCount(1);

    Path empty = Files.createDirectories(work.resolve("not-spark"));
    noSpark.put("SPARK_HOME", empty.toString());
    Finished noJars = lakeport(noSpark, "--version");
    assertThat(noJars.exitCode()).isEqualTo(2);
    assertThat(noJars.output())
        .isEqualTo(
            "lakeport: SPARK_HOME="
                + empty
                + " has no jars/*.jar: point it at a Spark 4.1"
                + " installation\n");
  }

  @Test
  void withoutJavaItSaysWhatToInstallInOneLine() throws Exception {
    Path noJava = Files.createDirectories(work.resolve("path-no-java"));
    for (String tool : prepend("bash", TOOLS)) {
      Files.createSymbolicLink(noJava.resolve(tool), Files.readSymbolicLink(path.resolve(tool)));
    }
    Map<String, String> env = new HashMap<>(site());
    env.put("PATH", noJava.toString());

    Finished missing = lakeport(env, "--version");

    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.output()).startsWith("lakeport: java is not on the PATH: ").hasLineCount(1);
  }

  /**
   * The whole environment of a command: an empty home, the tool folder as PATH, the assembled Spark
   * home, and a site whose warehouse and exports are in the test's folder.
   */
  private static Map<String, String> site() {
    return Map.of(
        "HOME", work.resolve("home").toString(),
        "PATH", path.toString(),
        "SPARK_HOME", SPARK_HOME.toString(),
        "LAKEPORT_CDS", "off",
        "LAKEPORT_DRIVER_MEMORY", "1g",
        "LAKEPORT_WAREHOUSE", work.resolve("warehouse").toString(),
        "LAKEPORT_EXPORTS", work.resolve("exports").toString(),
        "TMPDIR", System.getProperty("java.io.tmpdir"));
  }

  private static Path writeJob() throws IOException {
    Path source = Files.createDirectories(work.resolve("warehouse/events"));
    StringBuilder csv = new StringBuilder("id,kind\n");
    for (int i = 0; i < 500; i++) {
      csv.append(i).append(',').append(i % 5 == 0 ? "click" : "view").append('\n');
    }
    Files.writeString(source.resolve("events.csv"), csv);
    Path job = work.resolve("clicks.conf");
    Files.writeString(
        job,
        """
        name = clicks
        source { format = csv, path = "%s", options { header = true, infer-schema = true } }
        plan.where = { column = kind, eq = click }
        sink { format = parquet, path = "%s" }
        """
            .formatted(source, work.resolve("exports/clicks")));
    return job;
  }

  /** A folder of links to java, bash and {@link #TOOLS}, found on this JVM's PATH. */
  private static Path toolFolder() throws IOException {
    Path bin = Files.createDirectories(work.resolve("path-bin"));
    Files.createSymbolicLink(
        bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    for (String tool : prepend("bash", TOOLS)) {
      Path found =
          which(tool).orElseThrow(() -> new IllegalStateException(tool + " is not on the PATH"));
      Files.createSymbolicLink(bin.resolve(tool), found);
    }
    return bin;
  }

  private static Optional<Path> which(String tool) {
    return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
        .map(folder -> Path.of(folder, tool))
        .filter(Files::isExecutable)
        .findFirst()
        .map(Path::toAbsolutePath);
  }

  private static void collect(
      CommandLine command, List<String> prefix, List<List<String>> commands) {
    commands.add(prefix);
    command.getSubcommands().entrySet().stream()
        .filter(e -> e.getKey().equals(e.getValue().getCommandName()))
        .forEach(e -> collect(e.getValue(), prepend(prefix, e.getKey()), commands));
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  private static List<String> prepend(List<String> prefix, String last) {
    List<String> all = new ArrayList<>(prefix);
    all.add(last);
    return all;
  }

  private static List<String> warnings(String output) {
    return output.lines().filter(line -> line.contains("WARNING")).toList();
  }

  private record Finished(int exitCode, String output) {}

  private static Finished lakeport(Map<String, String> env, String... args) throws Exception {
    return launch(env, prepend(install.resolve("bin/lakeport").toString(), List.of(args)));
  }

  /** Runs a command with exactly {@code env} as its environment, stdout and stderr together. */
  private static Finished launch(Map<String, String> env, List<String> command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env.isEmpty() ? site() : env);
    Process process = builder.start();
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
        .as("%s ended", String.join(" ", command))
        .isTrue();
    return new Finished(process.exitValue(), output.get(1, TimeUnit.MINUTES));
  }
}
