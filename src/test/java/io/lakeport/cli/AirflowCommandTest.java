package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.airflow.FakeAirflow;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport airflow generate|trigger|status} as users call them; trigger and status against
 * an Airflow-like server on 127.0.0.1 ({@code FakeAirflow}, API v2 of Airflow 3).
 */
class AirflowCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private FakeAirflow airflow;

  @AfterEach
  void stop() {
    if (airflow != null) {
      airflow.close();
    }
  }

  @Test
  void generateWritesOneDagPerJob() throws Exception {
    Path site =
        Fixtures.write(dir, "application.conf", "lakeport.airflow.dags.home = /opt/lakeport\n");

    int code =
        Cli.lakeport(
            site,
            out,
            err,
            "airflow",
            "generate",
            "--out",
            dir.resolve("dags").toString(),
            "--start-date",
            "2026-11-01",
            "jobs");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().lines())
        .hasSize(6)
        .allSatisfy(line -> assertThat(line).startsWith("wrote " + dir.resolve("dags")));
    assertThat(Files.readString(dir.resolve("dags/security-anomalies-daily.py")))
        .contains(
            "schedule=CronTriggerTimetable(\"30 2 * * *\", timezone=\"Europe/Berlin\")",
            "start_date=pendulum.datetime(2026, 11, 1, tz=\"Europe/Berlin\")");
  }

  @Test
  void generateRefusesAJobWithoutStartDateAndTemplatePrintsTheBuiltInOne() throws Exception {
    Path site = Fixtures.write(dir, "application.conf", "");
    Path job =
        Fixtures.write(
            dir,
            "undated.conf",
            """
            name = undated
            source { format = csv, path = /data/in }
            sink { format = parquet, path = /tmp/lakeport-undated/out }
            """);

    int code =
        Cli.lakeport(
            site,
            out,
            err,
            "airflow",
            "generate",
            "--out",
            dir.resolve("dags").toString(),
            job.toString());

    assertThat(code).as(out.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("airflow.start-date: missing").doesNotContain("\tat ");
    assertThat(dir.resolve("dags")).doesNotExist();

    out.getBuffer().setLength(0);
    assertThat(Cli.lakeport(site, out, err, "airflow", "template")).isZero();
    assertThat(out.toString()).contains("@@DAG_ARGUMENTS@@", "@@TASK@@");
  }

  @Test
  void triggerWithDateAndConfThenStatus() throws Exception {
    Path site = airflowSite();

    int code =
        Cli.lakeport(
            site,
            out,
            err,
            "airflow",
            "trigger",
            "jobs/security-anomalies-daily.conf",
            "--date",
            "2026-11-23",
            "--conf",
            "reason=rerun",
            "--run-id",
            "rerun-23");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo("triggered security-anomalies-daily run rerun-23: queued\n");
    assertThat(airflow.lastBody())
        .isEqualTo(
            "{\"dag_run_id\":\"rerun-23\",\"logical_date\":null,"
                + "\"conf\":{\"reason\":\"rerun\",\"run_date\":\"2026-11-23\"}}");

    airflow.setState("security-anomalies-daily", "rerun-23", "running");
    out.getBuffer().setLength(0);
    assertThat(
            Cli.lakeport(
                site, out, err, "airflow", "status", "security-anomalies-daily", "rerun-23"))
        .isZero();
    assertThat(out.toString())
        .contains(
            "RUN ID",
            "STATE",
            "rerun-23",
            "running",
            "2026-11-24T01:30:05.123456Z",
            "{reason=rerun, run_date=2026-11-23}");

    out.getBuffer().setLength(0);
    assertThat(Cli.lakeport(site, out, err, "airflow", "status", "security-anomalies-daily"))
        .isZero();
    assertThat(out.toString().lines()).hasSize(2);
  }

  @Test
  void duplicateRunIdExitsWithTwoAndUnknownDagWithThree() throws Exception {
    Path site = airflowSite();
    assertThat(
            Cli.lakeport(
                site,
                out,
                err,
                "airflow",
                "trigger",
                "security-anomalies-daily",
                "--run-id",
                "once"))
        .isZero();

    assertThat(
            Cli.lakeport(
                site,
                out,
                err,
                "airflow",
                "trigger",
                "security-anomalies-daily",
                "--run-id",
                "once"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(
            ": a run with that id exists already (HTTP 409: DAGRun with DAG ID: "
                + "'security-anomalies-daily' and DAGRun ID: 'once' already exists). Choose another --run-id");
    err.getBuffer().setLength(0);
    assertThat(Cli.lakeport(site, out, err, "airflow", "status", "orders-kpis-monthly"))
        .isEqualTo(3);
    assertThat(err.toString())
        .startsWith("error: Cannot list runs of DAG orders-kpis-monthly in Airflow at ")
        .contains("not found (HTTP 404: DAG with dag_id: 'orders-kpis-monthly' not found)");
  }

  @Test
  void withoutUrlTheCommandSaysWhatToSet() {
    Path site = Fixtures.write(dir, "application.conf", "lakeport {}\n");

    assertThat(Cli.lakeport(site, out, err, "airflow", "status", "security-anomalies-daily"))
        .isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "error: Cannot talk to Airflow: lakeport.airflow.url is not set. Set it (and "
                + "user, password-env or password-file) in conf/application.conf\n");
  }

  private Path airflowSite() throws Exception {
    airflow = new FakeAirflow(3, Set.of("security-anomalies-daily"));
    Path secret = Fixtures.write(dir, "airflow.password", FakeAirflow.PASSWORD);
    return Fixtures.write(
        dir,
        "application.conf",
        "lakeport.airflow { url = \""
            + airflow.url()
            + "\", version = 3, "
            + "user = lakeport, password-file = \""
            + secret
            + "\" }\n");
  }
}
