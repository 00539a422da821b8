package io.lakeport.schedule.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outcome file is written by the driver ({@link OutcomeReport}) and read by the launcher
 * ({@link OutcomeFile}) in two processes: what one writes, the other reads back.
 */
class OutcomeReportTest {
  @TempDir Path dir;

  @Test
  void aLauncherReadsWhatTheLastRunThatWroteSomethingWroteAndTheFirstError() {
    Path file = dir.resolve("outcome.json");
    OutcomeReport report = OutcomeReport.to(Optional.of(file));
    report.ended("r1", "orders", new LaunchOutcome.Written(true, 10, 2048, 2, "s3a://x/m.json"));
    report.failed("r2", "kpis", 3, "Cannot write the export");
    report.failed("r3", "kpis", 2, "jobs/kpis.conf:3: unknown key");

    assertThat(report.finish(3)).isEqualTo(3);

    OutcomeFile read = OutcomeFile.read(file).orElseThrow();
    assertThat(read.exitCode()).isEqualTo(3);
    assertThat(read.error()).contains("Cannot write the export");
    assertThat(read.written())
        .as("a failed run wrote nothing: the last run that did is reported")
        .contains(new LaunchOutcome.Written(true, 10, 2048, 2, "s3a://x/m.json"));
  }

  @Test
  void aSucceededCommandHasNoErrorAndASkippedRunNoManifest() {
    Path file = dir.resolve("outcome.json");
    OutcomeReport report = OutcomeReport.to(Optional.of(file));
    report.ended("r1", "orders", new LaunchOutcome.Written(false, 0, 0, 0, ""));

    report.finish(0);

    OutcomeFile read = OutcomeFile.read(file).orElseThrow();
    assertThat(read.exitCode()).isZero();
    assertThat(read.error()).isEmpty();
    assertThat(read.written()).contains(new LaunchOutcome.Written(false, 0, 0, 0, ""));
    assertThat(dir.resolve(".outcome.json.tmp")).as("written whole, then renamed").doesNotExist();
  }

  @Test
  void aCommandThatFailedBeforeAnyRunSaysWhy() {
    Path file = dir.resolve("outcome.json");

    OutcomeReport.to(Optional.of(file)).finish(2, "jobs/x.conf:1: missing source");

    OutcomeFile read = OutcomeFile.read(file).orElseThrow();
    assertThat(read.exitCode()).isEqualTo(2);
    assertThat(read.error()).contains("jobs/x.conf:1: missing source");
    assertThat(read.written()).isEmpty();
  }
}
