package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs that wait for other jobs ({@code schedule.after}) at the command line: {@code validate}
 * refuses an unknown upstream and a cycle at the line of the job that has it, and a backfill over
 * dependent jobs runs every job after the jobs it waits for, whatever the order they are given in,
 * and does not run a window whose upstream failed.
 */
class ScheduleAfterSparkTest {
  @TempDir Path dir;
  private Path site;

  @BeforeEach
  void site() {
    TestSpark.session();
    site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport { warehouse = \""
                + dir.resolve("warehouse")
                + "\", exports = \""
                + dir.resolve("exports")
                + "\", history.url = \"jdbc:h2:file:"
                + dir.resolve("history/lakeport")
                + "\" }\n");
  }

  @Test
  void validateRefusesAnUnknownUpstreamAndACycleAtTheirJobsLines() {
    Path jobs = dir.resolve("jobs");
    job(jobs, "a", "after = [b]");
    job(jobs, "b", "after = [c]");
    job(jobs, "c", "after = [a]");
    job(jobs, "d", "after = [orders-dayly]");
    job(jobs, "orders-daily", "");

    CliRun result = lakeport("validate", jobs.toString());

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            Fixtures.displayed(jobs.resolve("a.conf"))
                + ":5: schedule.after: jobs that wait for each other: a waits for b waits for c"
                + " waits for a. Remove one of these schedule.after entries: jobs in a cycle would"
                + " never run.")
        .contains(
            Fixtures.displayed(jobs.resolve("d.conf"))
                + ":5: schedule.after: unknown job \"orders-dayly\". Did you mean"
                + " \"orders-daily\"? Name a job of this folder: a, b, c, d, orders-daily.");
    assertThat(result.out())
        .contains("ok " + Fixtures.displayed(jobs.resolve("orders-daily.conf")));

    // one file of the folder: its upstream is looked up among the others
    CliRun one = lakeport("validate", jobs.resolve("d.conf").toString());
    assertThat(one.code()).isEqualTo(2);
    assertThat(one.err()).contains("unknown job \"orders-dayly\"");
  }

  @Test
  void aBackfillRunsUpstreamsFirstAndNoWindowWhoseUpstreamFailed() throws Exception {
    Path warehouse = dir.resolve("warehouse");
    for (String day : List.of("2026-11-01", "2026-11-03")) {
      TestSpark.session()
          .sql("SELECT id, '" + day + "' AS day FROM range(0, 5)")
          .write()
          .parquet(warehouse.resolve("events/day=" + day).toString());
    }
    Path jobs = dir.resolve("jobs");
    Path down =
        Fixtures.write(
            jobs,
            "down.conf",
            "name = down\nparams { run_date = null }\nsource { format = parquet, path ="
                + " ${lakeport.exports}\"/up/day=\"${params.run_date} }\nsink { format = parquet,"
                + " path = ${lakeport.exports}\"/down/day=\"${params.run_date} }\n"
                + "schedule { every = daily, run-time = \"03:00\", after = [up] }\n");
    Path up =
        Fixtures.write(
            jobs,
            "up.conf",
            "name = up\nparams { run_date = null }\nsource { format = parquet, path ="
                + " ${lakeport.warehouse}\"/events/day=\"${params.run_date} }\nsink { format ="
                + " parquet, path = ${lakeport.exports}\"/up/day=\"${params.run_date} }\n");

    // the downstream job first on the command line; day 2 has no events, so up fails for it
    CliRun result =
        lakeport(
            "run", down.toString(), up.toString(), "--from", "2026-11-01", "--to", "2026-11-03");

    // up fails for day 2 as a job mistake (its source folder does not exist: exit 2)
    assertThat(result.code()).as(result.err()).isEqualTo(3);
    List<String> table =
        result.out().lines().filter(l -> l.startsWith("up ") || l.startsWith("down ")).toList();
    assertThat(table)
        .extracting(l -> l.replaceAll("\\s+", " ").replaceAll(" [0-9]{8}T\\S+ ", " <run> "))
        .containsExactly(
            "up <run> published 5 0",
            "up <run> failed 0 2",
            "up <run> published 5 0",
            "down <run> published 5 0",
            "down - not run 0 3",
            "down <run> published 5 0");
    assertThat(result.err())
        .contains(
            "job down window 2026-11-02: not run, the job it waits for (up) failed for window"
                + " 2026-11-02");
    assertThat(dir.resolve("exports/down/day=2026-11-03")).isDirectory();
    assertThat(dir.resolve("exports/down/day=2026-11-02")).doesNotExist();

    // schedule list shows what each job waits for
    CliRun list = lakeport("schedule", "list", jobs.toString());
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out())
        .contains(
            "\n" + " ".repeat(6) + "after up publish its window (waits up to 6h 0m past a slot)\n")
        .contains("up    manual");
    CliRun json = lakeport("schedule", "list", jobs.toString(), "-o", "json");
    assertThat(new ObjectMapper().readTree(json.out()).at("/schedules/0/after").toString())
        .isEqualTo("[\"up\"]");
  }

  private static void job(Path folder, String name, String after) {
    Fixtures.write(
        folder,
        name + ".conf",
        "name = "
            + name
            + "\nsource { format = parquet, path = /nowhere/"
            + name
            + " }\nsink { format = parquet, path = /tmp/out/"
            + name
            + " }\nschedule { every = daily, run-time = \"01:00\"\n  "
            + after
            + " }\n");
  }

  private CliRun lakeport(String... args) {
    return CliRun.of(site, args);
  }
}
