package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.SinkFormat;
import io.lakeport.config.Site;
import io.lakeport.config.SourceFormat;
import io.lakeport.config.Window;
import io.lakeport.config.WriteMode;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport new-job}: the files it writes load with the real JobLoader as asked; bad flags
 * write nothing.
 */
class NewJobCommandTest {
  @TempDir Path dir;
  private Path site;
  private Path warehouse;
  private Path exports;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void siteWithTemporaryFolders() {
    warehouse = dir.resolve("warehouse");
    exports = dir.resolve("exports");
    site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport { warehouse = \""
                + warehouse
                + "\", exports = \""
                + exports
                + "\", time-zone = UTC }\n");
  }

  @Test
  void writesACommentedDailyJobWithTheSitesFoldersAsSubstitutions() throws Exception {
    Path file = dir.resolve("jobs/orders-daily.conf");

    int code =
        newJob(
            "--name",
            "orders-daily",
            "--description",
            "Yesterday's orders per country",
            "--source",
            warehouse.resolve("orders").toString(),
            "--source-format",
            "parquet",
            "--date-column",
            "order_ts",
            "--sink-format",
            "parquet",
            "--sink",
            exports.resolve("orders/daily").toString(),
            "--partition-by",
            "country",
            "--every",
            "daily",
            "--run-time",
            "02:00",
            "--time-zone",
            "Europe/Berlin",
            "--out",
            file.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "wrote "
                + file
                + " (job orders-daily)\nnext: lakeport run "
                + file
                + " --param run_date=<date>; lakeport schedule list "
                + file
                + "\n");
    assertThat(Files.readString(file))
        .isEqualTo(
            """
        # Yesterday's orders per country
        # Written by lakeport new-job; edit it freely (every key: docs/JOBS.md), then check it with
        #   bin/lakeport validate jobs/orders-daily.conf
        #   bin/lakeport run jobs/orders-daily.conf --param run_date=2026-11-23
        name = orders-daily
        description = "Yesterday's orders per country"
        time-zone = "Europe/Berlin"

        # Each run exports the rows of one day: the day of run_date (window_start included, window_end
        # excluded, in the job's time zone). The scheduler hands each run its run_date; by hand, pass
        # --param run_date=<date>.
        window = day
        params {
          run_date = null
        }

        source {
          format = parquet
          path = ${lakeport.warehouse}/orders
        }

        plan {
          where = { and = [
            { column = order_ts, gte = ${params.window_start} }
            { column = order_ts, lt = ${params.window_end} }
          ] }
          # More filters, derived columns, aggregations, the columns to keep: docs/JOBS.md, "plan".
        }

        sink {
          format = parquet
          path = ${lakeport.exports}/orders/daily
          partition-by = [country]
          # Each run replaces the partitions it writes and keeps the others.
          mode = overwrite-partitions
        }

        # Runs by itself daily at 02:00 (Europe/Berlin); lakeport schedule list shows the next runs.
        schedule {
          every = daily
          run-time = "02:00"
        }
        """);
    JobSpec job = load(file);
    assertThat(job.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(job.schedule().orElseThrow().timing())
        .isInstanceOfSatisfying(
            ScheduleSpec.Daily.class,
            daily -> assertThat(daily.at()).isEqualTo(LocalTime.of(2, 0)));
    assertThat(job.schedule().orElseThrow().timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(job.source().format()).isEqualTo(SourceFormat.PARQUET);
    assertThat(job.source().path()).contains(warehouse.resolve("orders").toString());
    assertThat(job.sink().format()).isEqualTo(SinkFormat.PARQUET);
    assertThat(job.sink().path()).isEqualTo(exports.resolve("orders/daily").toString());
    assertThat(job.sink().partitionBy()).containsExactly("country");
    assertThat(job.sink().mode()).isEqualTo(WriteMode.OVERWRITE_PARTITIONS);
  }

  @Test
  void eachScheduleFormAndSinkLoadsAsAsked() throws Exception {
    Path csv = Files.createDirectories(dir.resolve("elsewhere/people"));
    List<String> common = List.of("--source", csv.toString(), "--source-format", "csv");

    assertThat(
            newJob(
                common,
                "--name",
                "hourly",
                "--sink-format",
                "json",
                "--every",
                "hourly",
                "--minute",
                "15"))
        .as(err.toString())
        .isZero();
    assertThat(
            newJob(
                common,
                "--name",
                "weekly",
                "--sink-format",
                "csv",
                "--every",
                "weekly",
                "--day-of-week",
                "monday",
                "--run-time",
                "06:30",
                "--date-column",
                "hired_on",
                "--window",
                "week"))
        .as(err.toString())
        .isZero();
    assertThat(
            newJob(
                common,
                "--name",
                "monthly",
                "--sink-format",
                "avro",
                "--every",
                "monthly",
                "--day-of-month",
                "last",
                "--run-time",
                "23:00",
                "--sink",
                dir.resolve("out dir/monthly").toString()))
        .as(err.toString())
        .isZero();
    assertThat(
            newJob(
                common,
                "--name",
                "quartz",
                "--sink-format",
                "delta",
                "--cron",
                "0 15 10 ? * MON-FRI",
                "--partition-by",
                "a,b"))
        .as(err.toString())
        .isZero();
    assertThat(newJob(common, "--name", "by-hand", "--sink-format", "excel"))
        .as(err.toString())
        .isZero();

    JobSpec hourly = load(dir.resolve("jobs/hourly.conf"));
    assertThat(hourly.schedule().orElseThrow().timing())
        .isInstanceOfSatisfying(
            ScheduleSpec.Hourly.class, h -> assertThat(h.minute()).isEqualTo(15));
    assertThat(hourly.source().path()).contains(csv.toString());
    assertThat(hourly.source().options()).containsEntry("header", "true");
    assertThat(hourly.sink().path()).isEqualTo(exports.resolve("hourly").toString());
    assertThat(hourly.sink().format()).isEqualTo(SinkFormat.JSON);
    assertThat(hourly.sink().mode()).isEqualTo(WriteMode.OVERWRITE);

    JobSpec weekly = load(dir.resolve("jobs/weekly.conf"));
    assertThat(weekly.schedule().orElseThrow().timing())
        .isInstanceOfSatisfying(
            ScheduleSpec.Weekly.class,
            w -> {
              assertThat(w.day()).isEqualTo(DayOfWeek.MONDAY);
              assertThat(w.at()).isEqualTo(LocalTime.of(6, 30));
            });
    assertThat(weekly.window()).isEqualTo(Window.WEEK);
    assertThat(weekly.sink().format()).isEqualTo(SinkFormat.CSV);

    JobSpec monthly = load(dir.resolve("jobs/monthly.conf"));
    assertThat(monthly.schedule().orElseThrow().timing())
        .isInstanceOfSatisfying(
            ScheduleSpec.Monthly.class, m -> assertThat(m.day()).isEqualTo(OptionalInt.empty()));
    assertThat(monthly.sink().path()).isEqualTo(dir.resolve("out dir/monthly").toString());
    assertThat(monthly.sink().format()).isEqualTo(SinkFormat.AVRO);

    JobSpec quartz = load(dir.resolve("jobs/quartz.conf"));
    assertThat(quartz.schedule().orElseThrow().timing())
        .isInstanceOfSatisfying(
            ScheduleSpec.CronTiming.class,
            c -> assertThat(c.expression()).isEqualTo("0 15 10 ? * MON-FRI"));
    assertThat(quartz.sink().format()).isEqualTo(SinkFormat.DELTA);
    assertThat(quartz.sink().partitionBy()).containsExactly("a", "b");

    JobSpec byHand = load(dir.resolve("jobs/by-hand.conf"));
    assertThat(byHand.schedule()).isEmpty();
    assertThat(byHand.sink().format()).isEqualTo(SinkFormat.EXCEL);
  }

  @Test
  void badFlagsAreReportedAgainstTheFlagAndNothingIsWritten() {
    List<String> job = List.of("--name", "broken", "--source", "/in", "--source-format", "parquet");

    assertRefused(
        newJob(job, "--sink-format", "parqet"),
        "--sink-format (sink.format): unknown value \"parqet\". Did you mean \"parquet\"?"
            + " Expected one of: parquet, csv, json, avro, xml, excel, delta.\nNothing written.\n");
    assertRefused(
        newJob(job, "--sink-format", "json", "--every", "daily", "--run-time", "25:00"),
        "--run-time (schedule.run-time): ");
    assertRefused(
        newJob(job, "--sink-format", "json", "--every", "daily"),
        "--run-time (schedule.run-time): every ="
            + " daily needs this setting. Add run-time = \"02:30\" (HH:mm, 24-hour clock).\nNothing written.\n");
    assertRefused(
        newJob(job, "--sink-format", "json", "--cron", "61 * * * *"),
        "--cron (schedule.cron): invalid cron" + " expression \"61 * * * *\"");
    assertRefused(
        newJob(job, "--sink-format", "json", "--time-zone", "Mars/Olympus"),
        "--time-zone (time-zone): ");
    assertRefused(
        newJob(job, "--sink-format", "json", "--run-time", "02:00"),
        "--run-time belongs to a schedule. Add"
            + " --every (hourly, daily, weekly or monthly), or leave it out for a job run by hand.\n");
    assertRefused(
        newJob(job, "--sink-format", "json", "--every", "daily", "--cron", "0 2 * * *"),
        "--every and --cron are both set. Keep one.\n");
    assertRefused(
        newJob(
            List.of(
                "--name",
                "Orders Daily",
                "--source",
                "/in",
                "--source-format",
                "parquet",
                "--sink-format",
                "json")),
        "--name: \"Orders Daily\" is not a job name.");
    assertRefused(
        newJob(
            List.of(
                "--name",
                "db",
                "--source",
                "/in",
                "--source-format",
                "jdbc",
                "--sink-format",
                "json")),
        "--source-format: new-job writes file sources (delta, parquet, csv, json, avro, xml), not \"jdbc\".");
    assertRefused(
        newJob(
            List.of(
                "--name",
                "xml",
                "--source",
                "/in",
                "--source-format",
                "xml",
                "--sink-format",
                "json")),
        "--source-option (source.options): an XML source needs the element that holds one row. Add options { row-tag"
            + " = <element name> }.\nNothing written.\n");
    assertThat(dir.resolve("jobs")).doesNotExist();
  }

  @Test
  void anExistingFileIsReplacedOnlyWithForce() throws Exception {
    Path file = Fixtures.write(dir.resolve("jobs"), "kept.conf", "# someone's job\n");
    List<String> job =
        List.of(
            "--name",
            "kept",
            "--source",
            "/in",
            "--source-format",
            "parquet",
            "--sink-format",
            "json");

    assertRefused(
        newJob(job),
        file
            + " exists; new-job does not replace a job file. Pass --force to replace it, or"
            + " --out FILE to write another.\n");
    assertThat(Files.readString(file)).isEqualTo("# someone's job\n");

    assertThat(newJob(job, "--force")).as(err.toString()).isZero();
    assertThat(load(file).name()).isEqualTo("kept");
  }

  private void assertRefused(int code, String message) {
    assertThat(code).as(out.toString()).isEqualTo(2);
    assertThat(err.toString()).startsWith(message);
    err.getBuffer().setLength(0);
  }

  private JobSpec load(Path file) {
    return new JobLoader(Site.load(Optional.of(site)))
        .load(file, Map.of(), JobLoader.Mode.VALIDATE);
  }

  private int newJob(String... args) {
    return newJob(List.of(), args);
  }

  /** Runs new-job in the temporary folder's jobs/ unless --out says otherwise. */
  private int newJob(List<String> common, String... args) {
    List<String> all = new ArrayList<>(List.of("new-job"));
    all.addAll(common);
    all.addAll(List.of(args));
    if (!all.contains("--out")) {
      String name = all.get(all.indexOf("--name") + 1);
      all.addAll(List.of("--out", dir.resolve("jobs").resolve(name + ".conf").toString()));
    }
    return Cli.lakeport(site, out, err, all.toArray(String[]::new));
  }
}
