package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport run} in a real process with the shipped {@code conf/log4j2.properties}: the
 * console shows Lakeport's lifecycle, progress and the result, with ISO dates and the job and run
 * ids, and no INFO line of any other logger (Spark's, Hadoop's), no committer line and no
 * plan-truncation warning, for a job wide enough (30 columns) to have Spark truncate its plans by
 * default; the run writes its own log file. {@code --verbose} brings Spark's INFO lines back.
 */
class ConsoleLogTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** A console line: ISO time with offset, level, the run's ids when a run is going on, logger. */
  private static final Pattern LINE =
      Pattern.compile(
          "(?m)^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(?:Z|[+-]\\d{2}:\\d{2})"
              + " (INFO|WARN|ERROR) (?:\\[(\\S+) (\\S+)\\] )?([\\w$.-]+): ");

  @TempDir Path home;

  @Test
  void theDefaultConsoleShowsProgressAndResultsButNoSparkOrHadoopInfo() throws Exception {
    Path job = wideJob();
    List<String> shipped =
        List.of(
            "-Dlog4j2.configurationFile=" + Path.of("conf", "log4j2.properties").toAbsolutePath());

    ChildLakeport.Finished run = ChildLakeport.run(home, TIMEOUT, shipped, "run", job.toString());

    String output = run.output();
    assertThat(run.exitCode()).as(output).isZero();
    Matcher result = Pattern.compile("(?m)^job wide run (\\S+): 200 rows in").matcher(output);
    assertThat(result.find()).as(output).isTrue();
    String runId = result.group(1);
    Set<String> lakeport = lakeportLoggers();
    Matcher line = LINE.matcher(output);
    int infos = 0;
    while (line.find()) {
      if (line.group(1).equals("INFO")) {
        infos++;
        assertThat(lakeport)
            .as("a Lakeport logger: %s%n%s", line.group(4), output)
            .contains(line.group(4));
      }
    }
    assertThat(infos).as(output).isPositive();
    assertThat(output)
        .containsPattern(" INFO \\[wide " + runId + "\\] ExportRunner: Run " + runId)
        .containsPattern(" INFO \\[wide " + runId + "\\] progress: stage \\d+ done: ")
        .doesNotContain("LakeportCommitProtocol")
        .doesNotContain("Truncated the string representation");
    Path file = home.resolve("logs").resolve("wide").resolve(runId + ".log");
    assertThat(Files.readString(file))
        .contains("[wide " + runId + "] ExportRunner: Run " + runId + " of job wide started");

    ChildLakeport.Finished verbose =
        ChildLakeport.run(home, TIMEOUT, shipped, "--verbose", "run", job.toString());

    assertThat(verbose.exitCode()).as(verbose.output()).isZero();
    assertThat(verbose.output()).containsPattern(" INFO SparkContext: ");
  }

  /** The simple names of Lakeport's classes (the loggers they log as) and the progress logger. */
  private static Set<String> lakeportLoggers() throws IOException {
    try (Stream<Path> classes = Files.walk(Path.of("target", "classes", "io", "lakeport"))) {
      Set<String> names =
          classes
              .map(path -> path.getFileName().toString())
              .filter(name -> name.endsWith(".class") && !name.contains("$"))
              .map(name -> name.substring(0, name.length() - ".class".length()))
              .collect(Collectors.toSet());
      names.add("progress");
      return names;
    }
  }

  /** 200 rows of 30 columns as CSV, exported as Parquet under the temporary folder. */
  private Path wideJob() {
    StringBuilder csv = new StringBuilder("id");
    for (int c = 1; c < 30; c++) {
      csv.append(",c").append(c);
    }
    csv.append('\n');
    for (int row = 0; row < 200; row++) {
      csv.append(row);
      for (int c = 1; c < 30; c++) {
        csv.append(',').append(row * c % 97);
      }
      csv.append('\n');
    }
    Path source = Fixtures.write(home.resolve("warehouse/wide"), "wide.csv", csv.toString());
    return Fixtures.write(
        home.resolve("jobs"),
        "wide.conf",
        """
        name = wide
        source { format = csv, path = "%s", options { header = true, infer-schema = true } }
        sink { format = parquet, path = "%s", mode = overwrite }
        """
            .formatted(source.getParent(), home.resolve("exports/wide")));
  }
}
