package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.AlertSpec;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template shipped in jobs/templates/ as a user meets it: {@code templates list} shows it,
 * {@code new-job --from-template} writes a job file that extends it and validates, and the job is
 * the template's sink, schedule and alerts with its own name, source and (by the template's {@code
 * ${name}}) its own export folder.
 */
class TemplatesCliTest {
  @TempDir Path dir;

  @Test
  void aJobWrittenFromTheShippedTemplateIsTheTemplateWithItsOwnNameAndSource() throws Exception {
    Path site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport { warehouse = \""
                + dir.resolve("warehouse")
                + "\", exports = \""
                + dir.resolve("exports")
                + "\" }\n");
    Result listed = lakeport("templates", "list", "--site-conf=" + site);
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out())
        .startsWith("TEMPLATE       EXTENDS  DESCRIPTION\n")
        .contains("daily-parquet  -        A daily export to Parquet\n");

    Path job = dir.resolve("jobs").resolve("clicks.conf");
    Result written =
        lakeport(
            "new-job",
            "--site-conf=" + site,
            "--from-template",
            "daily-parquet",
            "--name",
            "clicks",
            "--source",
            dir.resolve("warehouse").resolve("clicks").toString(),
            "--source-format",
            "parquet",
            "--out",
            job.toString());
    assertThat(written.code()).as(written.err()).isZero();
    String text = Files.readString(job);
    Path template = Path.of("jobs", "templates", "daily-parquet.conf").toAbsolutePath();
    String relative = job.getParent().relativize(template).toString();
    assertThat(text)
        .contains("extends = \"" + relative + "\"\n")
        .contains("name = clicks\n")
        .contains("source.path = ${lakeport.warehouse}/clicks\n")
        .doesNotContain("schedule");
    assertThat(dir.resolve("jobs")).isDirectoryNotContaining("glob:**/.*");
    assertThat(lakeport("validate", job.toString(), "--site-conf=" + site).code()).isZero();

    JobSpec loaded =
        new JobLoader(Site.load(Optional.of(site))).load(job, Map.of(), JobLoader.Mode.VALIDATE);
    assertThat(loaded.sink().path()).isEqualTo(dir.resolve("exports").resolve("clicks").toString());
    assertThat(loaded.schedule()).isPresent();
    assertThat(loaded.alerts().lateAfter()).contains(new AlertSpec.AtTime(LocalTime.of(7, 0)));
    assertThat(loaded.source().path())
        .contains(dir.resolve("warehouse").resolve("clicks").toString());
  }

  @Test
  void anUnknownTemplateOrNoSourceWithoutOneIsAMistakeThatWritesNothing() {
    Result unknown =
        lakeport(
            "new-job",
            "--from-template",
            "hourly-csv",
            "--name",
            "x",
            "--out",
            dir.resolve("x.conf").toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("--from-template: no template ")
        .contains("Templates: daily-parquet (lakeport templates list).");
    Result noSource =
        lakeport(
            "new-job",
            "--name",
            "x",
            "--sink-format",
            "csv",
            "--out",
            dir.resolve("x.conf").toString());
    assertThat(noSource.code()).isEqualTo(2);
    assertThat(noSource.err())
        .contains(
            "Missing required options: '--source=PATH', '--source-format=FORMAT' (or"
                + " --from-template TEMPLATE)");
    assertThat(dir.resolve("x.conf")).doesNotExist();
  }

  private record Result(int code, String out, String err) {}

  private static Result lakeport(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Lakeport.execute(
            Clock.systemUTC(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
