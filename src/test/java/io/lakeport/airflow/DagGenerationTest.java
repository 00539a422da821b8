package io.lakeport.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.Fixtures;
import io.lakeport.config.AirflowSettings;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DAGs generated for every example job in {@code jobs/}, in three layers, since Airflow itself
 * cannot be installed on the build machines: the text equals a reviewed golden file
 * ({@code src/test/resources/airflow/golden}; run with {@code -Dgolden.update=true} to
 * rewrite them after an intended change), {@code python3 -m py_compile} accepts it, and importing it
 * against faithful stand-in {@code airflow} modules (which accept only the documented parameters of
 * {@code DAG} and {@code SparkSubmitOperator}, and record them) gives the DAG the job file asks for.
 */
class DagGenerationTest {
  private static final Path GOLDEN = Path.of("src/test/resources/airflow/golden");
  private static final LocalDate START = LocalDate.of(2026, 11, 1);

  @TempDir Path dir;
  private Site site;
  private AirflowSettings.Dags dags;
  private List<JobSpec> jobs;

  @BeforeEach
  void exampleJobs() throws IOException {
    site = Site.load(Optional.of(Fixtures.write(dir, "application.conf", """
        lakeport.airflow.dags {
          home = /opt/lakeport
          packages = ["org.apache.spark:spark-hadoop-cloud_2.13:4.1.1"]
          conf { "spark.executor.memory" = "4g", "spark.ui.enabled" = "false" }
        }
        """)));
    dags = site.airflow().dags();
    jobs = new ArrayList<>();
    for (Path file : Fixtures.confFiles(Path.of("jobs"))) {
      jobs.add(new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE));
    }
  }

  @Test
  void everyExampleJobMatchesItsGoldenFileAndCompiles() throws IOException {
    List<Path> written = Dags.write(jobs, dags, START, dir.resolve("dags"));

    assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly("orders-kpis-monthly.py",
        "org-assignments-active.py", "persons-directory.py", "security-anomalies-daily.py");
    for (Path file : written) {
      Path golden = GOLDEN.resolve(file.getFileName());
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(GOLDEN);
        Files.copy(file, golden, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      assertThat(file).as("generated %s against %s", file.getFileName(), golden).hasSameTextualContentAs(golden);
      StandInAirflow.compile(file).succeeded();
    }
  }

  @Test
  void scheduledJobImportsAsTheDagItsJobFileDescribes() {
    JobSpec job = job("security-anomalies-daily");
    ScheduleSpec schedule = job.schedule().orElseThrow();

    JsonNode dag = StandInAirflow.dags(Dags.write(List.of(job), dags, START, dir.resolve("dags")).get(0)).get(0);

    JsonNode args = dag.get("kwargs");
    assertThat(dag.get("dag_id").asText()).isEqualTo("security-anomalies-daily");
    assertThat(args.at("/schedule/CronTriggerTimetable/cron").asText()).isEqualTo("30 2 * * *");
    assertThat(args.at("/schedule/CronTriggerTimetable/timezone").asText()).isEqualTo("Europe/Berlin");
    assertThat(args.at("/start_date/datetime").asText()).isEqualTo("2026-11-01T00:00:00+01:00");
    assertThat(args.get("catchup").asBoolean()).as("misfire = all").isTrue();
    assertThat(args.get("max_active_runs").asInt()).isEqualTo(1);
    JsonNode defaults = args.get("default_args");
    assertThat(defaults.get("retries").asInt()).isEqualTo(schedule.retry().attempts() - 1).isEqualTo(2);
    assertThat(defaults.at("/retry_delay/timedelta_seconds").asDouble()).isEqualTo(60);
    assertThat(defaults.get("retry_exponential_backoff").asBoolean()).isTrue();
    assertThat(defaults.at("/max_retry_delay/timedelta_seconds").asDouble()).isEqualTo(30 * 60);
    assertThat(args.at("/user_defined_macros/lakeport_run_date/function").asText()).isEqualTo("lakeport_run_date");

    assertThat(dag.get("tasks")).hasSize(1);
    JsonNode task = dag.get("tasks").get(0);
    assertThat(task.get("class").asText()).isEqualTo("SparkSubmitOperator");
    JsonNode operator = task.get("kwargs");
    assertThat(operator.get("application").asText()).isEqualTo("/opt/lakeport/lakeport.jar");
    assertThat(operator.get("java_class").asText()).isEqualTo("io.lakeport.cli.Lakeport");
    assertThat(operator.get("conn_id").asText()).isEqualTo("spark_default");
    assertThat(operator.get("name").asText()).isEqualTo("lakeport-security-anomalies-daily");
    assertThat(operator.get("packages").asText()).isEqualTo("org.apache.spark:spark-hadoop-cloud_2.13:4.1.1");
    assertThat(operator.at("/conf/spark.executor.memory").asText()).isEqualTo("4g");
    assertThat(operator.at("/env_vars/LAKEPORT_HOME").asText()).isEqualTo("/opt/lakeport");
    assertThat(operator.get("application_args")).extracting(JsonNode::asText).containsExactly("run",
        "/opt/lakeport/jobs/security-anomalies-daily.conf", "--param", "run_date={{ lakeport_run_date(dag_run) }}");
  }

  @Test
  void latestMisfireAndExecutionWindowMapToNoCatchup() {
    JsonNode dag = StandInAirflow.dags(Dags.write(List.of(job("orders-kpis-monthly")), dags, START,
        dir.resolve("dags")).get(0)).get(0);

    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/cron").asText()).isEqualTo("0 3 1 * *");
    assertThat(dag.at("/kwargs/catchup").asBoolean()).as("misfire = latest (the default)").isFalse();
    assertThat(dag.at("/kwargs/default_args/retries").asInt()).isEqualTo(2);
  }

  @Test
  void jobWithoutScheduleRunsOnlyWhenTriggered() {
    JsonNode dag = StandInAirflow.dags(Dags.write(List.of(job("persons-directory")), dags, START,
        dir.resolve("dags")).get(0)).get(0);

    assertThat(dag.at("/kwargs/schedule").isNull()).isTrue();
    assertThat(dag.at("/kwargs/catchup").asBoolean()).isFalse();
    assertThat(dag.at("/kwargs/default_args/retries").asInt()).isZero();
    assertThat(dag.at("/kwargs/start_date/zone").asText()).isEqualTo("UTC");
  }

  @Test
  void standInRefusesAMisspeltOrRemovedArgument() throws IOException {
    Path file = Dags.write(List.of(job("security-anomalies-daily")), dags, START, dir.resolve("dags")).get(0);
    String text = Files.readString(file);

    Path misspelt = Files.writeString(dir.resolve("misspelt.py"), text.replace("java_class=", "main_class="));
    Path removed = Files.writeString(dir.resolve("removed.py"), text.replace("    schedule=", "    schedule_interval="));
    Path badDefault = Files.writeString(dir.resolve("default.py"), text.replace("\"retries\":", "\"retry\":"));

    assertThat(StandInAirflow.compile(misspelt).exitCode()).isZero();
    assertThat(StandInAirflow.importDag(misspelt).err()).contains("SparkSubmitOperator got unexpected keyword argument(s) ['main_class']");
    assertThat(StandInAirflow.importDag(removed).err()).contains("DAG got unexpected keyword argument(s) ['schedule_interval']");
    assertThat(StandInAirflow.importDag(badDefault).err()).contains("DAG default_args got unexpected keyword argument(s) ['retry']");
  }

  @Test
  void disabledScheduleTimeoutAndLinearBackoff() {
    JobSpec job = Fixtures.job(dir, """
        name = tuned
        source { format = csv, path = /data/in }
        sink { format = parquet, path = /data/out }
        schedule {
          cron = "0 15 6 ? * MON-FRI"
          time-zone = "America/New_York"
          enabled = false
          misfire = none
          timeout = 2h
          retry { attempts = 4, backoff = linear, delay = 5m, max-delay = 1h }
        }
        """, Map.of());

    JsonNode dag = StandInAirflow.dags(Dags.write(List.of(job), dags, START, dir.resolve("dags")).get(0)).get(0);

    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/cron").asText()).isEqualTo("15 6 * * mon-fri");
    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/timezone").asText()).isEqualTo("America/New_York");
    assertThat(dag.at("/kwargs/is_paused_upon_creation").asBoolean()).isTrue();
    assertThat(dag.at("/kwargs/catchup").asBoolean()).isFalse();
    assertThat(dag.at("/kwargs/default_args/retries").asInt()).isEqualTo(3);
    assertThat(dag.at("/kwargs/default_args/retry_exponential_backoff").asBoolean()).isFalse();
    assertThat(dag.at("/kwargs/default_args/retry_delay/timedelta_seconds").asDouble()).isEqualTo(300);
    assertThat(dag.at("/kwargs/default_args/execution_timeout/timedelta_seconds").asDouble()).isEqualTo(7200);
  }

  @Test
  void retentionOnItsOwnScheduleIsASecondDag() {
    Path file = Fixtures.write(dir, "kept.conf", """
        name = kept
        source { format = csv, path = /data/in }
        sink { format = parquet, path = /data/out }
        schedule { every = daily, run-time = "02:00" }
        retention {
          keep { days = 30, last = 7 }
          schedule { cron = "15 4 * * sun", time-zone = "Europe/Berlin", misfire = none }
        }
        """);
    JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE);

    List<Path> written = Dags.write(List.of(job), dags, START, dir.resolve("dags"));

    assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly("kept.py", "kept-retention.py");
    JsonNode dag = StandInAirflow.dags(written.get(1)).get(0);
    assertThat(dag.get("dag_id").asText()).isEqualTo("kept-retention");
    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/cron").asText()).isEqualTo("15 4 * * sun");
    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/timezone").asText()).isEqualTo("Europe/Berlin");
    assertThat(dag.at("/kwargs/catchup").asBoolean()).as("misfire = none").isFalse();
    assertThat(dag.at("/kwargs/max_active_runs").asInt()).isEqualTo(1);
    JsonNode operator = dag.get("tasks").get(0).get("kwargs");
    assertThat(operator.get("application_args")).extracting(JsonNode::asText)
        .containsExactly("retention", "apply", file.toString());
    assertThat(StandInAirflow.compile(written.get(1)).exitCode()).isZero();
  }

  @Test
  void quartzCronWithSecondsIsRefusedWithItsLine() {
    Path file = Fixtures.write(dir, "seconds.conf", """
        name = seconds
        source { format = csv, path = /data/in }
        sink { format = parquet, path = /data/out }
        schedule {
          cron = "30 0 2 * * ?"
        }
        """);
    JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE);

    assertThatThrownBy(() -> Dags.write(List.of(job), dags, START, dir.resolve("dags")))
        .isInstanceOf(JobConfigException.class)
        .hasMessage(Fixtures.displayed(file) + ":4: schedule.cron: cron expression \"30 0 2 * * ?\" cannot be expressed in "
            + "Airflow: it fires at second 30, and Airflow schedules whole minutes. Write it in 5 fields (minute hour "
            + "day-of-month month day-of-week, e.g. \"30 2 * * mon\"), which Lakeport and Airflow read alike.");
    assertThat(dir.resolve("dags")).doesNotExist();
  }

  private JobSpec job(String name) {
    return jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
  }
}
