package io.lakeport.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeport.Fixtures;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes in a site's DAG template, and a DAG without a fixed start date, are refused before any
 * file is written, each with where it is and how to fix it.
 */
class DagTemplateTest {
  @TempDir Path dir;

  @Test
  void builtInTemplateHasEveryPlaceholderAlone() {
    String text = Dags.builtInTemplate();

    assertThat(DagTemplate.parse(text, "built-in")).isNotNull();
    for (DagTemplate.Block block : DagTemplate.Block.values()) {
      assertThat(text).contains("@@" + block + "@@\n");
    }
  }

  @Test
  void unknownMisplacedAndMissingPlaceholdersAreRefusedWithTheirLines() {
    String template =
        """
        @@HEADER@@
        @@IMPORT@@
        with DAG(@@DAG_ARGUMENTS@@) as dag:
            pass
        """;

    assertThatThrownBy(() -> DagTemplate.parse(template, "conf/dag.py.template"))
        .isInstanceOf(JobConfigException.class)
        .hasMessage(
            String.join(
                "\n",
                "conf/dag.py.template:2: unknown placeholder @@IMPORT@@. Expected one of:"
                    + " @@HEADER@@, @@IMPORTS@@, @@DEFINITIONS@@, @@DAG_ARGUMENTS@@, @@TASK@@.",
                "conf/dag.py.template:3: placeholder @@DAG_ARGUMENTS@@ must stand alone on its"
                    + " line. Put it on a line of its own, indented as its lines should be.",
                "conf/dag.py.template: has no @@DAG_ARGUMENTS@@ line. Add it where the generated"
                    + " DAG(...) arguments belong.",
                "conf/dag.py.template: has no @@TASK@@ line. Add it where the generated export"
                    + " task lines belong."));
  }

  @Test
  void templateThatIsNotThereIsRefusedAndNothingIsWritten() {
    Site site =
        Site.load(
            Optional.of(
                Fixtures.write(
                    dir, "site.conf", "lakeport.airflow.dags.template = conf/missing.py\n")));
    JobSpec job = job(site, "airflow { start-date = \"2026-12-01\" }");

    assertThatThrownBy(
            () -> Dags.write(List.of(job), site, "0.1.0", Optional.empty(), dir.resolve("dags")))
        .isInstanceOf(JobConfigException.class)
        .hasMessage(
            "lakeport.airflow.dags.template: no DAG template at \"conf/missing.py\". Name an"
                + " existing file (a relative path is read from Lakeport's home), or null for the"
                + " built-in template (`lakeport airflow template` prints it).");
    assertThat(dir.resolve("dags")).doesNotExist();
  }

  @Test
  void jobWithoutStartDateNeedsOneAndNothingIsWritten() {
    Site site = Fixtures.site();
    JobSpec job = job(site, "");

    assertThatThrownBy(
            () -> Dags.write(List.of(job), site, "0.1.0", Optional.empty(), dir.resolve("dags")))
        .isInstanceOf(JobConfigException.class)
        .hasMessage(
            Fixtures.displayed(dir.resolve("nightly.conf"))
                + ": airflow.start-date: missing: a DAG needs a fixed start_date (the first day"
                + " Airflow schedules). Add airflow { start-date = \"2026-12-01\" } to the job"
                + " file, set lakeport.job-defaults.airflow.start-date in the site settings, or"
                + " pass --start-date.");
    assertThat(dir.resolve("dags")).doesNotExist();
  }

  @Test
  void exportLocationOfAnObjectStorePathIsThePartBeforeTheFirstParam() {
    Site site = Fixtures.site();
    JobSpec job = job(site, "airflow { start-date = \"2026-12-01\" }");

    assertThat(job.airflow().outlets()).containsExactly("/tmp/lakeport-dag-test/orders");
    assertThat(Dags.outletUri("s3a://lake/exports/orders", site, site.airflow().dags()))
        .isEqualTo("s3a://lake/exports/orders");
    assertThat(job(site, "airflow { outlets = [] }").airflow().outlets()).isEmpty();
  }

  private JobSpec job(Site site, String airflow) {
    Path file =
        Fixtures.write(
            dir,
            "nightly.conf",
            """
            name = nightly
            params { run_date = null }
            source { format = csv, path = /data/in }
            sink { format = parquet, path = "/tmp/lakeport-dag-test/orders/day="${params.run_date} }
            schedule { every = daily, run-time = "02:00" }
            """
                + airflow
                + "\n");
    return new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE);
  }
}
