package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lakeport.ChildLakeport;
import io.lakeport.Fixtures;
import io.lakeport.config.HistorySettings;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.history.RunFilter;
import io.lakeport.history.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight processes on the embedded run history at once, as on a busy machine: four {@code lakeport
 * history}, a {@code stats}, a scheduler pass (it recovers lost runs, reads the queue and its job's
 * last slot; its job's slot is not due, so it starts nothing) and two {@code lakeport run}s, all
 * started together against a history file that does not exist yet. Every one must succeed, none may
 * warn that it could not record, and the history must hold every run that was made.
 */
class HistoryConcurrencySparkTest {
  @TempDir Path home;

  @Test
  void eightProcessesUseTheEmbeddedHistoryAtOnce() throws Exception {
    Path csv =
        Fixtures.write(
            home.resolve("data/warehouse"), "people.csv", "id,name\n1,ada\n2,alan\n3,grace\n");
    Path jobs = Files.createDirectories(home.resolve("jobs"));
    for (String name : List.of("first", "second")) {
      Fixtures.write(
          jobs,
          name + ".conf",
          """
          name = %s
          source { format = csv, path = "%s", options { header = true } }
          sink { format = json, path = ${lakeport.exports}/%s }
          """
              .formatted(name, csv, name));
    }
    Fixtures.write(
        jobs,
        "ticking.conf",
        """
        name = ticking
        source { format = csv, path = "%s", options { header = true } }
        sink { format = json, path = ${lakeport.exports}/ticking }
        schedule { every = daily, run-time = "03:00" }
        """
            .formatted(csv));

    List<List<String>> commands = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      commands.add(List.of("history", "--limit", "1"));
    }
    commands.add(List.of("stats"));
    commands.add(List.of("scheduler", "start", "--once", "jobs/ticking.conf"));
    commands.add(List.of("run", "jobs/first.conf", "--master", "local[1]"));
    commands.add(List.of("run", "jobs/second.conf", "--master", "local[1]"));

    List<CompletableFuture<ChildLakeport.Finished>> all =
        commands.stream().map(args -> CompletableFuture.supplyAsync(() -> run(args))).toList();

    for (int i = 0; i < commands.size(); i++) {
      ChildLakeport.Finished finished = all.get(i).join();
      assertThat(finished.exitCode())
          .as("lakeport %s:%n%s", String.join(" ", commands.get(i)), finished.output())
          .isZero();
      assertThat(finished.output())
          .as("lakeport %s", String.join(" ", commands.get(i)))
          .doesNotContain("warning:", "Cannot open the run history", "Exception");
    }
    HistorySettings embedded =
        new HistorySettings(
            "jdbc:sqlite:" + home.resolve("data/history/lakeport.db"),
            HistorySettings.Database.SQLITE,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Duration.ofMinutes(5),
            Optional.empty());
    try (HistoryStore history = HistoryStore.open(embedded, Clock.systemUTC())) {
      List<Run> runs =
          history.runLog().runs(new RunFilter(Optional.empty(), Optional.empty(), 100));
      assertThat(runs)
          .extracting(Run::job, Run::status)
          .containsExactlyInAnyOrder(
              tuple("first", RunStatus.SUCCEEDED), tuple("second", RunStatus.SUCCEEDED));
    }
  }

  private ChildLakeport.Finished run(List<String> args) {
    try {
      return ChildLakeport.run(home, Duration.ofMinutes(4), args.toArray(String[]::new));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
