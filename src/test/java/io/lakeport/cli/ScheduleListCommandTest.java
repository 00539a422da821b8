package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport schedule list} on a pinned clock, with a run history in a temporary folder; no
 * Spark.
 */
class ScheduleListCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  @TempDir Path home;
  private Path site;

  @BeforeEach
  void siteWithAHistoryInTheTemporaryFolder() {
    site =
        Fixtures.write(
            home,
            "application.conf",
            "lakeport.history.url = \"jdbc:h2:file:" + home.resolve("history/lakeport") + "\"\n");
  }

  @Test
  void listsEveryJobWithItsScheduleAndNextRunsAcrossTheSpringDstChange() {
    int code = lakeport("2026-03-28T23:00:00Z", "schedule", "list", "jobs");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            """
        anomalies-per-tenant      manual
        orders-kpis-monthly       enabled   monthly on day 1 at 03:00, starting between 00:00 and 08:00 (UTC)
                                  next in 3d 4h: 2026-04-01 03:00 +00:00, 2026-05-01 03:00 +00:00, 2026-06-01 03:00 +00:00
        orders-with-customers     manual
        org-assignments-active    manual
        persons-directory         manual
        security-anomalies-daily  enabled   daily at 02:30 (Europe/Berlin)
                                  next in 2h 0m: 2026-03-29 03:00 +02:00, 2026-03-30 02:30 +02:00, 2026-03-31 02:30 +02:00
        """);
  }

  @Test
  void showsDisabledJobsSecondsAndReportsInvalidOnes(@TempDir Path dir) {
    String source =
        "source { format = parquet, path = /in }\nsink { format = parquet, path = /tmp/out }\n";
    Fixtures.write(
        dir,
        "a-paused.conf",
        "name = paused\n"
            + source
            + "schedule { cron = \"30 15 10 ? * MON-FRI\", time-zone = \"America/New_York\", enabled = false }\n");
    Path broken =
        Fixtures.write(
            dir, "b-broken.conf", "name = broken\n" + source + "schedule { every = daily }\n");

    int code = lakeport("2026-11-20T15:00:00Z", "schedule", "list", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(out.toString())
        .isEqualTo(
            String.format(
                """
        paused%1$s  disabled  cron "30 15 10 ? * MON-FRI" (at 10:15:30 every day between Monday and Friday) (America/New_York)
        %2$s  would run in 15m: 2026-11-20 10:15:30 -05:00, 2026-11-23 10:15:30 -05:00, 2026-11-24 10:15:30 -05:00
        %3$s  invalid: run lakeport validate %3$s
        """,
                " ".repeat(broken.toString().length() - "paused".length()),
                " ".repeat(broken.toString().length()),
                broken));
    assertThat(err.toString())
        .isEqualTo(
            Fixtures.displayed(broken)
                + ":4: schedule.run-time: every = daily needs this "
                + "setting. Add run-time = \"02:30\" (HH:mm, 24-hour clock).\n");
  }

  @Test
  void listsARetentionScheduleUnderItsOwnNameWithItsSwitch(@TempDir Path dir) {
    Fixtures.write(
        dir,
        "kept.conf",
        """
        name = kept
        source { format = parquet, path = /in }
        sink { format = parquet, path = /tmp/out }
        schedule { every = daily, run-time = "02:00" }
        retention { keep.last = 7, schedule { every = weekly, day-of-week = sunday, run-time = "04:00" } }
        """);
    try (HistoryStore history =
        HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC())) {
      history.schedules().disable("kept.retention");
    }

    int code = lakeport("2026-11-20T15:00:00Z", "schedule", "list", dir.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            """
        kept            enabled   daily at 02:00 (UTC)
                        next in 11h 0m: 2026-11-21 02:00 +00:00, 2026-11-22 02:00 +00:00, 2026-11-23 02:00 +00:00
        kept.retention  disabled  weekly on Sunday at 04:00 (UTC)
                        would run in 1d 13h: 2026-11-22 04:00 +00:00, 2026-11-29 04:00 +00:00, 2026-12-06 04:00 +00:00
                        switched off at runtime (lakeport schedule disable); the job file says enabled
        """);
  }

  @Test
  void showsTheRuntimeSwitchesKeptInTheRunHistoryOverTheJobFiles() {
    try (HistoryStore history =
        HistoryStore.open(Site.load(Optional.of(site)).history(), Clock.systemUTC())) {
      history.schedules().disable("security-anomalies-daily");
      history.schedules().enable("orders-kpis-monthly");
    }

    int code = lakeport("2026-03-28T23:00:00Z", "schedule", "list", "jobs");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            """
        anomalies-per-tenant      manual
        orders-kpis-monthly       enabled   monthly on day 1 at 03:00, starting between 00:00 and 08:00 (UTC)
                                  next in 3d 4h: 2026-04-01 03:00 +00:00, 2026-05-01 03:00 +00:00, 2026-06-01 03:00 +00:00
                                  switched on at runtime (lakeport schedule enable); the job file says enabled
        orders-with-customers     manual
        org-assignments-active    manual
        persons-directory         manual
        security-anomalies-daily  disabled  daily at 02:30 (Europe/Berlin)
                                  would run in 2h 0m: 2026-03-29 03:00 +02:00, 2026-03-30 02:30 +02:00, 2026-03-31 02:30 +02:00
                                  switched off at runtime (lakeport schedule disable); the job file says enabled
        """);
  }

  @Test
  void showsTheJobFilesSettingsWithAWarningWhenTheHistoryCannotBeRead() {
    Fixtures.write(
        home,
        "application.conf",
        "lakeport.history { url = \"jdbc:postgresql://127.0.0.1:1/lakeport\","
            + " password-env = LAKEPORT_TEST_UNSET_PASSWORD }\n");

    int code =
        lakeport("2026-03-28T23:00:00Z", "schedule", "list", "jobs/security-anomalies-daily.conf");

    assertThat(code).isZero();
    assertThat(out.toString())
        .startsWith("security-anomalies-daily  enabled   daily at 02:30 (Europe/Berlin)\n");
    assertThat(err.toString())
        .isEqualTo(
            "warning: Cannot open the run history at jdbc:postgresql://127.0.0.1:1/lakeport:"
                + " the environment variable LAKEPORT_TEST_UNSET_PASSWORD (lakeport.history.password-env) is not set. Export it,"
                + " or use lakeport.history.password-file. Showing the job files' enabled, without the runtime switches of"
                + " lakeport schedule enable|disable.\n");
  }

  @Test
  void theTimeUntilTheNextRunShowsItsTwoLargestUnits() {
    assertThat(ScheduleListCommand.until(Duration.ofHours(52).plusMinutes(5)))
        .isEqualTo("in 2d 4h");
    assertThat(ScheduleListCommand.until(Duration.ofMinutes(192).plusSeconds(59)))
        .isEqualTo("in 3h 12m");
    assertThat(ScheduleListCommand.until(Duration.ofMinutes(12))).isEqualTo("in 12m");
    assertThat(ScheduleListCommand.until(Duration.ofSeconds(40))).isEqualTo("in 40s");
  }

  private int lakeport(String now, String... args) {
    Clock clock = Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--site-conf=" + site;
    return Lakeport.execute(clock, new PrintWriter(out, true), new PrintWriter(err, true), all);
  }
}
