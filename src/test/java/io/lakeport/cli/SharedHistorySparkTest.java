package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one embedded H2 history: a real {@code lakeport scheduler start} in a child JVM
 * holds the history file, and this JVM runs {@code schedule disable|enable}, {@code history} and
 * {@code schedule list} against the same file meanwhile. The scheduler must see each switch: no
 * slot of the job is queued while it is off (another job on the same schedule shows the slots went
 * by), and it runs again once it is on. Everything is awaited on the scheduler's own log lines,
 * with deadlines.
 */
class SharedHistorySparkTest {
  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final Pattern STARTING =
      Pattern.compile("Starting run (\\S+) of job (\\S+) \\(attempt \\d+, slot (\\S+)\\)");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void commandsBesideARunningSchedulerSwitchAJobOffAndOnAndTheSchedulerFollows() throws Exception {
    Path csv = Files.writeString(dir.resolve("rows.csv"), "id\n1\n2\n");
    Path switched = job("switched", csv);
    Path witness = job("witness", csv);
    Path site =
        Fixtures.write(
            dir,
            "application.conf",
            """
        lakeport.history.url = "jdbc:h2:file:%s"
        lakeport.scheduler { tick = 1s, missed-after = 4s }
        """
                .formatted(dir.resolve("history/lakeport")));

    try (ChildLakeport.Running scheduler =
        ChildLakeport.start(
            dir,
            "scheduler",
            "--site-conf=" + site,
            "start",
            switched.toString(),
            witness.toString())) {
      String first =
          scheduler.awaitLine(
              line -> started(line, "switched", Instant.EPOCH).isPresent(), DEADLINE);
      String firstRun = started(first, "switched", Instant.EPOCH).orElseThrow();
      scheduler.awaitLine(
          line -> line.contains("Run " + firstRun + " of job switched ended SUCCEEDED"), DEADLINE);

      assertThat(lakeport(site, "schedule", "disable", "switched")).as(err.toString()).isZero();
      scheduler.awaitLine(line -> line.contains("Schedule of job switched is off"), DEADLINE);
      Instant off = Instant.now();
      // the other job, on the same schedule, starts a slot at least two slots later: those passes
      // went by
      String later =
          scheduler.awaitLine(
              line -> started(line, "witness", off.plusSeconds(4)).isPresent(), DEADLINE);
      Instant witnessSlot = slot(later);

      Site settings = Site.load(Optional.of(site));
      try (HistoryStore history = HistoryStore.open(settings.history(), Clock.systemUTC())) {
        assertThat(runs(history, "switched"))
            .as("slots of the switched-off job")
            .noneMatch(
                run ->
                    run.slot()
                        .filter(slot -> slot.isAfter(off) && slot.isBefore(witnessSlot))
                        .isPresent());
      }
      assertThat(lakeport(site, "history", "--job", "switched", "--limit", "1000"))
          .as(err.toString())
          .isZero();
      assertThat(out.toString())
          .containsPattern(firstRun + "\\s+switched\\s+schedule\\s+succeeded");
      assertThat(lakeport(site, "schedule", "list", switched.toString()))
          .as(err.toString())
          .isZero();
      assertThat(out.toString())
          .containsPattern("switched\\s+disabled\\s+cron")
          .contains(
              "switched off at runtime (lakeport schedule disable); the job file says enabled");

      assertThat(lakeport(site, "schedule", "enable", "switched")).as(err.toString()).isZero();
      Instant on = Instant.now();
      scheduler.awaitLine(line -> line.contains("Schedule of job switched is on again"), DEADLINE);
      String again =
          scheduler.awaitLine(line -> started(line, "switched", on).isPresent(), DEADLINE);
      String againRun = started(again, "switched", on).orElseThrow();
      scheduler.awaitLine(
          line -> line.contains("Run " + againRun + " of job switched ended SUCCEEDED"), DEADLINE);

      assertThat(scheduler.terminate(DEADLINE)).as(scheduler.output()).isZero();
    }
    assertThat(err.toString()).isEmpty();
  }

  /** A job that exports the CSV every two seconds. */
  private Path job(String name, Path csv) {
    return Fixtures.write(
        dir,
        name + ".conf",
        """
        name = %s
        source { format = csv, path = "%s", options { header = true } }
        sink { format = json, path = "%s", mode = overwrite }
        schedule { cron = "*/2 * * * * ?", time-zone = UTC, misfire = none }
        """
            .formatted(name, csv, dir.resolve("out").resolve(name)));
  }

  /**
   * The run id, when the line says a run of {@code job} for a slot after {@code after} is starting.
   */
  private static Optional<String> started(String line, String job, Instant after) {
    Matcher matcher = STARTING.matcher(line);
    if (matcher.find()
        && matcher.group(2).equals(job)
        && Instant.parse(matcher.group(3)).isAfter(after)) {
      return Optional.of(matcher.group(1));
    }
    return Optional.empty();
  }

  private static Instant slot(String startingLine) {
    Matcher matcher = STARTING.matcher(startingLine);
    assertThat(matcher.find()).isTrue();
    return Instant.parse(matcher.group(3));
  }

  private static List<Run> runs(HistoryStore history, String job) {
    return history.runLog().runs(new RunFilter(Optional.of(job), Optional.empty(), 1_000));
  }

  private int lakeport(Path site, String... args) {
    return Cli.lakeport(site, out, err, args);
  }
}
