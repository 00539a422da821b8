package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extends}: a job over its template over the template's own, key by key, with every mistake
 * reported in the file and at the line that holds it, and a template path that leaves the jobs
 * folder, loops or is missing refused at the {@code extends} line.
 */
class TemplatesTest {
  @TempDir Path dir;

  @Test
  void aJobIsItsTemplatesWithWhatItSaysOnTop() {
    Fixtures.write(
        dir.resolve("templates"),
        "base.conf",
        """
        description = "from the base"
        window = day
        sink { format = parquet, mode = overwrite-partitions, partition-by = [day] }
        alerts { late-after = "07:00" }
        """);
    Fixtures.write(
        dir.resolve("templates"),
        "daily-parquet.conf",
        """
        extends = "base.conf"
        description = "a daily parquet export"
        schedule { every = daily, run-time = "02:00" }
        sink { on-empty = skip }
        """);
    JobSpec job =
        load(
            "job.conf",
            """
            extends = "templates/daily-parquet.conf"
            name = orders
            source { format = parquet, path = /tmp/in }
            sink { path = /tmp/out/orders, partition-by = [] }
            """);

    assertThat(job.name()).isEqualTo("orders");
    assertThat(job.description())
        .as("the nearer template wins")
        .isEqualTo("a daily parquet export");
    assertThat(job.sink().path()).isEqualTo("/tmp/out/orders");
    assertThat(job.sink().partitionBy()).as("the job wins").isEmpty();
    assertThat(job.sink().format()).isEqualTo(SinkFormat.PARQUET);
    assertThat(job.sink().onEmpty()).isEqualTo(OnEmpty.SKIP);
    assertThat(job.schedule()).isPresent();
    assertThat(job.alerts().lateAfter())
        .contains(new AlertSpec.AtTime(java.time.LocalTime.of(7, 0)));
  }

  @Test
  void aMistakeInATemplateIsReportedInTheTemplate() {
    Path template =
        Fixtures.write(
            dir.resolve("templates"),
            "broken.conf",
            "sink { format = parqet }\nschedule { every = dayly }\n");
    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () ->
                load(
                    "job.conf",
                    "extends = \"templates/broken.conf\"\nname = orders\n"
                        + "source { format = parquet, path = /tmp/in }\nsink.path = /tmp/out\n"));
    String file = Fixtures.displayed(template);
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .anySatisfy(
            m -> assertThat(m).startsWith(file + ":1: sink.format: unknown value \"parqet\"."))
        .anySatisfy(m -> assertThat(m).startsWith(file + ":2: schedule.every: "));
  }

  @Test
  void aTemplateOutsideTheJobsFolderALoopOrAMissingOneIsRefusedAtTheExtendsLine() {
    String job = Fixtures.displayed(dir.resolve("jobs/job.conf"));
    assertThat(problem("extends = \"../../etc/passwd.conf\"\nname = x\n"))
        .isEqualTo(
            job
                + ":1: extends: extends = \"../../etc/passwd.conf\" is not a .conf file in the jobs"
                + " folder. Keep templates in jobs/templates/ and name them relative to this file,"
                + " e.g. extends = \"templates/daily-parquet.conf\".");
    assertThat(problem("name = x\nextends = \"templates/none.conf\"\n"))
        .isEqualTo(
            job
                + ":2: extends: template "
                + Fixtures.displayed(dir.resolve("jobs/templates/none.conf"))
                + " not found. lakeport templates list shows the templates in jobs/templates/.");
    Fixtures.write(dir.resolve("jobs/templates"), "a.conf", "extends = \"b.conf\"\n");
    Path b = Fixtures.write(dir.resolve("jobs/templates"), "b.conf", "\nextends = \"a.conf\"\n");
    assertThat(problem("extends = \"templates/a.conf\"\nname = x\n"))
        .isEqualTo(
            Fixtures.displayed(b)
                + ":2: extends: template loop: "
                + job
                + " extends "
                + Fixtures.displayed(dir.resolve("jobs/templates/a.conf"))
                + " extends "
                + Fixtures.displayed(b)
                + " extends "
                + Fixtures.displayed(dir.resolve("jobs/templates/a.conf"))
                + ". Remove the extends that leads back to a file already extended.");
  }

  private String problem(String hocon) {
    JobConfigException e =
        catchThrowableOfType(
            JobConfigException.class,
            () ->
                new JobLoader(Fixtures.site())
                    .load(
                        Fixtures.write(dir.resolve("jobs"), "job.conf", hocon),
                        Map.of(),
                        JobLoader.Mode.RUN));
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0).message();
  }

  private JobSpec load(String file, String hocon) {
    return new JobLoader(Fixtures.site())
        .load(Fixtures.write(dir, file, hocon), Map.of(), JobLoader.Mode.RUN);
  }
}
