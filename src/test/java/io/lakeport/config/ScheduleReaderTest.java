package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.ScheduleSpec.Backoff;
import io.lakeport.config.ScheduleSpec.ExecutionWindow;
import io.lakeport.config.ScheduleSpec.Misfire;
import io.lakeport.config.ScheduleSpec.RetrySpec;
import io.lakeport.config.ScheduleSpec.RunDate;
import io.lakeport.config.ScheduleSpec.Status;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedule block of a job file; its mistakes are in BrokenJobsTest (schedule-*.conf). */
class ScheduleReaderTest {
  private static final String JOB =
      """
      name = scheduled
      time-zone = "Australia/Sydney"
      source { format = parquet, path = /in }
      sink { format = parquet, path = /tmp/out }
      """;

  @Test
  void readsEveryKeyOfTheScheduleBlock() {
    JobSpec job =
        new JobLoader(Fixtures.site())
            .load(
                Path.of("src/test/resources/jobs/valid/schedule.conf"),
                Map.of(),
                JobLoader.Mode.RUN);
    ScheduleSpec schedule = job.schedule().orElseThrow();

    assertThat(schedule.timing())
        .isInstanceOfSatisfying(
            ScheduleSpec.Weekly.class,
            weekly -> {
              assertThat(weekly.day()).isEqualTo(DayOfWeek.SUNDAY);
              assertThat(weekly.at()).isEqualTo(LocalTime.of(2, 30));
            });
    assertThat(schedule.timing().describe()).isEqualTo("weekly on Sunday at 02:30");
    assertThat(schedule.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(schedule.status()).isEqualTo(Status.DISABLED);
    assertThat(schedule.executionWindow())
        .contains(new ExecutionWindow(LocalTime.of(22, 0), LocalTime.of(4, 0)));
    assertThat(schedule.misfire()).isEqualTo(Misfire.ALL);
    assertThat(schedule.runDate()).isEqualTo(RunDate.SLOT);
    assertThat(schedule.retry())
        .isEqualTo(
            new RetrySpec(5, Backoff.LINEAR, Duration.ofMinutes(2), Duration.ofHours(1), 0.2));
    assertThat(schedule.timeout()).contains(Duration.ofHours(2));
    assertThat(schedule.origin().describe())
        .isEqualTo("src/test/resources/jobs/valid/schedule.conf:8: schedule");
  }

  @Test
  void aJobWithoutScheduleRunsByHandOnly(@TempDir Path dir) {
    assertThat(Fixtures.job(dir, JOB, Map.of()).schedule()).isEmpty();
  }

  @Test
  void defaultsComeFromReferenceConfAndTheZoneFromTheJob(@TempDir Path dir) {
    ScheduleSpec schedule = schedule(dir, "schedule { every = daily, run-time = \"02:30\" }");

    assertThat(schedule.timeZone()).isEqualTo(ZoneId.of("Australia/Sydney"));
    assertThat(schedule.status()).isEqualTo(Status.ENABLED);
    assertThat(schedule.executionWindow()).isEmpty();
    assertThat(schedule.misfire()).isEqualTo(Misfire.LATEST);
    assertThat(schedule.runDate()).isEqualTo(RunDate.PREVIOUS_WINDOW);
    assertThat(schedule.retry())
        .isEqualTo(
            new RetrySpec(
                3, Backoff.EXPONENTIAL, Duration.ofMinutes(1), Duration.ofMinutes(30), 0.1));
    assertThat(schedule.timeout()).isEmpty();
  }

  @Test
  void aSiteChangesScheduleDefaultsForEveryJob(@TempDir Path dir) {
    Path siteFile =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport.schedule-defaults { misfire = all, retry.attempts = 1 }\n");
    Path jobFile =
        Fixtures.write(dir, "job.conf", JOB + "schedule { every = hourly, minute = 5 }\n");

    ScheduleSpec schedule =
        new JobLoader(Site.load(Optional.of(siteFile)))
            .load(jobFile, Map.of(), JobLoader.Mode.RUN)
            .schedule()
            .orElseThrow();

    assertThat(schedule.misfire()).isEqualTo(Misfire.ALL);
    assertThat(schedule.retry().attempts()).isEqualTo(1);
    assertThat(schedule.retry().backoff())
        .as("untouched defaults stay")
        .isEqualTo(Backoff.EXPONENTIAL);
  }

  @Test
  void shorthandsAndCronExpressionsInWords(@TempDir Path dir) {
    List<String> timings =
        List.of(
            "every = hourly, minute = 15",
            "every = daily, run-time = \"23:05\"",
            "every = monthly, day-of-month = last, run-time = \"03:00\"",
            "every = monthly, day-of-month = 1, run-time = \"03:00\"",
            "cron = \"30 2 * * 1-5\"",
            "cron = \"0 15 10 L * ? 2027\"");

    assertThat(timings)
        .extracting(t -> schedule(dir, "schedule { " + t + " }").timing().describe())
        .containsExactly(
            "hourly at minute 15",
            "daily at 23:05",
            "monthly on the last day at 03:00",
            "monthly on day 1 at 03:00",
            "cron \"30 2 * * 1-5\" (at 02:30 every day between Monday and Friday)",
            "cron \"0 15 10 L * ? 2027\" (at 10:15 last day of month at 2027 year)");
  }

  @Test
  void theLastDayOfTheMonthHasNoNumber(@TempDir Path dir) {
    ScheduleSpec schedule =
        schedule(dir, "schedule { every = monthly, day-of-month = last, run-time = \"23:00\" }");

    assertThat(schedule.timing())
        .isInstanceOfSatisfying(
            ScheduleSpec.Monthly.class,
            monthly -> assertThat(monthly.day()).isEqualTo(OptionalInt.empty()));
  }

  private static ScheduleSpec schedule(Path dir, String block) {
    return Fixtures.job(dir, JOB + block + "\n", Map.of()).schedule().orElseThrow();
  }
}
