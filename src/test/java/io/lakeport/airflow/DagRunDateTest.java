package io.lakeport.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.Fixtures;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.Slot;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same slot gets the same run date, and so the same window, whether Lakeport's scheduler runs
 * it or Airflow runs the generated DAG. Lakeport's side is {@link Schedule#slotsBetween} (each
 * slot's {@code run_date}, {@code window_start}, {@code window_end}); Airflow's side is what the
 * DAG's {@code application_args} template renders to for a DAG run whose logical date is the slot
 * (a {@code CronTriggerTimetable} run), rendered by Jinja in the stand-in airflow modules, since
 * Airflow itself cannot be installed here. A year of slots for each schedule, across both DST
 * changes of zones east and west of UTC, a half-hour zone and a zone whose DST shift is 30 minutes;
 * also Airflow 3 runs without a logical date (their run_after is the slot) and runs triggered with
 * a run_date.
 *
 * <p>Airflow's own {@code {{ ds }}} would not do: it is the UTC date of the logical date, a day off
 * for evening slots west of UTC, and knows nothing of windows.
 */
class DagRunDateTest {
  private static final Instant FROM = Instant.parse("2025-12-31T00:00:00Z");
  private static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      berlin-nightly    | Europe/Berlin       | day   | every = daily, run-time = "02:30"                                            | previous-window
      new-york-evening  | America/New_York    | day   | every = daily, run-time = "22:00"                                            | previous-window
      kolkata-weekly    | Asia/Kolkata        | week  | every = weekly, day-of-week = monday, run-time = "00:15"                     | previous-window
      auckland-monthly  | Pacific/Auckland    | month | every = monthly, day-of-month = last, run-time = "23:45"                     | slot
      lord-howe-daily   | Australia/Lord_Howe | day   | every = daily, run-time = "02:15"                                            | slot
      la-quartz         | America/Los_Angeles | day   | cron = "0 30 1 ? * MON-FRI"                                                  | previous-window
      utc-clock-berlin  | Europe/Berlin       | month | cron = "45 23 * * *", time-zone = UTC                                        | previous-window
      """)
  void sameSlotSameRunDateAndWindow(
      String name, String zone, String window, String timing, String runDate) {
    Path file =
        Fixtures.write(
            dir,
            name + ".conf",
            "name = "
                + name
                + "\ntime-zone = \""
                + zone
                + "\"\nwindow = "
                + window
                + "\nparams { run_date = null }\nsource { format = csv, path = /data/in }\n"
                + "sink { format = parquet, path = /tmp/data/out }\nschedule { "
                + timing
                + ", run-date = "
                + runDate
                + " }\n");
    Site site = Fixtures.site();
    JobLoader loader = new JobLoader(site);
    JobSpec job = loader.load(file, Map.of(), JobLoader.Mode.VALIDATE);
    List<Slot> slots = Schedule.of(job).orElseThrow().slotsBetween(FROM, TO);
    Path dag =
        Dags.write(
                List.of(job),
                site,
                "0.1.0",
                Optional.of(LocalDate.of(2026, 1, 1)),
                dir.resolve("dags"))
            .get(0);

    List<JsonNode> scheduled =
        StandInAirflow.render(
            dag, slots.stream().map(slot -> slot.dueTime().toOffsetDateTime().toString()).toList());
    List<JsonNode> withoutLogicalDate =
        StandInAirflow.render(dag, slots.stream().map(slot -> "after " + slot.instant()).toList());

    assertThat(slots).hasSizeGreaterThan(11);
    assertThat(scheduled).hasSameSizeAs(slots);
    for (int i = 0; i < slots.size(); i++) {
      Slot slot = slots.get(i);
      String rendered = runDate(scheduled.get(i));
      assertThat(rendered)
          .as("run_date of slot %s", slot.dueTime())
          .isEqualTo(slot.runDate().toString());
      assertThat(runDate(withoutLogicalDate.get(i)))
          .as("Airflow 3 run without logical date at %s", slot.dueTime())
          .isEqualTo(rendered);
      assertThat(job.window().start(LocalDate.parse(rendered))).isEqualTo(slot.windowStart());
      assertThat(job.window().end(LocalDate.parse(rendered))).isEqualTo(slot.windowEnd());
    }
    // The window Lakeport derives when the DAG's command line runs, for the first slots.
    for (Slot slot : slots.subList(0, 3)) {
      JobSpec run =
          loader.load(file, Map.of("run_date", slot.runDate().toString()), JobLoader.Mode.RUN);
      assertThat(run.params().get(JobLoader.WINDOW_START).value())
          .isEqualTo(slot.windowStart().toString());
      assertThat(run.params().get(JobLoader.WINDOW_END).value())
          .isEqualTo(slot.windowEnd().toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"2026-11-23, 2026-12-01T01:30:00+00:00", "2026-02-28, 2026-03-29T01:00:00+00:00"})
  void triggeredRunDateWins(String date, String logical) {
    Path file =
        Fixtures.write(
            dir,
            "triggered.conf",
            """
        name = triggered
        time-zone = "Europe/Berlin"
        params { run_date = null }
        source { format = csv, path = /data/in }
        sink { format = parquet, path = /tmp/data/out }
        schedule { every = daily, run-time = "02:30" }
        """);
    Site site = Fixtures.site();
    JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE);
    Path dag =
        Dags.write(
                List.of(job),
                site,
                "0.1.0",
                Optional.of(LocalDate.of(2026, 1, 1)),
                dir.resolve("dags"))
            .get(0);

    assertThat(runDate(StandInAirflow.render(dag, List.of("conf " + date + " " + logical)).get(0)))
        .isEqualTo(date);
    assertThat(Optional.of(runDate(StandInAirflow.render(dag, List.of(logical)).get(0))))
        .isNotEqualTo(Optional.of(date));
  }

  /**
   * The run_date in the first task's rendered {@code application_args} ({@code --param
   * run_date=D}).
   */
  private static String runDate(JsonNode rendered) {
    JsonNode args = rendered.get(0);
    assertThat(args.get(2).asText()).isEqualTo("--param");
    String param = args.get(3).asText();
    assertThat(param).startsWith("run_date=");
    return param.substring("run_date=".length());
  }
}
