package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.AlertSpec.After;
import io.lakeport.config.AlertSpec.AtTime;
import io.lakeport.config.AlertSpec.Factor;
import io.lakeport.config.AlertSpec.FailureRate;
import io.lakeport.config.AlertSpec.Limit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's {@code alerts} block: each form of each threshold, the defaults and a site's own. */
class AlertsReaderTest {
  @TempDir Path dir;

  @Test
  void readsEachFormOfEachThreshold() {
    assertThat(
            alerts(
                Fixtures.site(),
                "slower-than = 2.5x, baseline-runs = 5, late-after = \"7:30\","
                    + " failure-rate-over = \"20% over 24h\", rows-drop-over = 50%"))
        .isEqualTo(
            new AlertSpec(
                Optional.of(new Factor(2.5)),
                5,
                Optional.of(new AtTime(LocalTime.of(7, 30))),
                Optional.of(new FailureRate(0.2, Duration.ofHours(24))),
                Optional.of(0.5)));
    assertThat(
            alerts(
                Fixtures.site(),
                "slower-than = 45m, late-after = 3h, failure-rate-over = \"10.5% over 7 days\""))
        .isEqualTo(
            new AlertSpec(
                Optional.of(new Limit(Duration.ofMinutes(45))),
                10,
                Optional.of(new After(Duration.ofHours(3))),
                Optional.of(new FailureRate(0.105, Duration.ofDays(7))),
                Optional.empty()));
  }

  @Test
  void everyAlertIsOffUnlessTheJobOrItsSiteTurnsItOn() {
    assertThat(alerts(Fixtures.site(), "")).isEqualTo(AlertSpec.none());
    assertThat(AlertSpec.none().any()).isFalse();
    Site site =
        Site.load(
            Optional.of(
                Fixtures.write(
                    dir,
                    "application.conf",
                    "lakeport.job-defaults.alerts { rows-drop-over = \"30%\", slower-than = 3x }\n")));
    AlertSpec defaults = alerts(site, "");
    assertThat(defaults.rowsDropOver()).contains(0.3);
    assertThat(defaults.slowerThan()).contains(new Factor(3));
    assertThat(alerts(site, "slower-than = off").slowerThan()).as("a job turns one off").isEmpty();
  }

  @Test
  void aTimeOfDayIsTheFirstAtOrAfterTheSlotOnTheJobsWallClock() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    AtTime seven = new AtTime(LocalTime.of(7, 0));
    assertThat(seven.of(Instant.parse("2026-11-24T01:00:00Z").atZone(berlin)))
        .as("due 02:00 Berlin: 07:00 that day")
        .isEqualTo(Instant.parse("2026-11-24T06:00:00Z"));
    assertThat(seven.of(Instant.parse("2026-11-24T07:00:00Z").atZone(berlin)))
        .as("due 08:00 Berlin: 07:00 the next day")
        .isEqualTo(Instant.parse("2026-11-25T06:00:00Z"));
    assertThat(
            new After(Duration.ofHours(3)).of(Instant.parse("2026-11-24T07:00:00Z").atZone(berlin)))
        .isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
  }

  private AlertSpec alerts(Site site, String block) {
    Path job =
        Fixtures.write(
            dir,
            "job.conf",
            "name = orders\nsource { format = parquet, path = /tmp/in }\n"
                + "sink { format = parquet, path = /tmp/out }\n"
                + (block.isEmpty() ? "" : "alerts { " + block + " }\n"));
    return new JobLoader(site).load(job, Map.of(), JobLoader.Mode.RUN).alerts();
  }
}
