package io.lakeport.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lakeport.Fixtures;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.ScheduleSpec;
import io.lakeport.config.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * cannot be installed on the build machines: the text equals a reviewed golden file ({@code
 * src/test/resources/airflow/golden}; run with {@code -Dgolden.update=true} to rewrite them after
 * an intended change), {@code python3 -m py_compile} accepts it, and importing it against faithful
 * stand-in {@code airflow} modules (which accept only the documented parameters of {@code DAG} and
 * {@code SparkSubmitOperator}, and record them) gives the DAG the job file asks for. Besides the
 * example jobs, {@code src/test/resources/airflow/jobs/failure-mail.conf} stands for a job whose
 * failures are mailed (the examples subscribe to no channel).
 */
class DagGenerationTest {
  private static final Path GOLDEN = Path.of("src/test/resources/airflow/golden");
  private static final Path FIXTURES = Path.of("src/test/resources/airflow/jobs");

  /** The start_date of jobs that set none (the example jobs set theirs). */
  private static final Optional<LocalDate> START = Optional.of(LocalDate.of(2026, 11, 1));

  /** The Lakeport version whose jar the DAGs submit. */
  private static final String VERSION = "0.1.0";

  @TempDir Path dir;
  private Site site;
  private List<JobSpec> jobs;

  /** Where the DAG settings put Lakeport on the workers; a job's file is below it there. */
  private static final String AIRFLOW_DAGS =
      """
      lakeport.airflow.dags {
        home = /opt/lakeport
        packages = ["org.apache.spark:spark-hadoop-cloud_2.13:4.1.1"]
        conf { "spark.executor.memory" = "4g", "spark.ui.enabled" = "false" }
      }
      """;

  /** One channel of each kind, their secrets named, not given; channels alone subscribe nobody. */
  private static final String CHANNELS =
      """
      lakeport.notifications.channels {
        data-mail { type = email, host = smtp.example.com, port = 587, security = starttls, user = lakeport,
                    password-env = LAKEPORT_SMTP_PASSWORD, from = "lakeport@example.com", to = ["data-team@example.com"] }
        ops-hook { type = webhook, url = "https://ops.example.com/lakeport", hmac-secret-env = LAKEPORT_HOOK_KEY }
        team-slack { type = slack, url-env = LAKEPORT_SLACK_URL }
      }
      """;

  @BeforeEach
  void exampleJobs() throws IOException {
    site = Site.load(Optional.of(Fixtures.write(dir, "application.conf", AIRFLOW_DAGS + CHANNELS)));
    jobs = new ArrayList<>();
    for (Path file : Fixtures.confFiles(Path.of("jobs"))) {
      jobs.add(new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE));
    }
  }

  /**
   * Every example job yields exactly one DAG (none has a retention schedule), scheduled or, without
   * a schedule, triggered only; each passes all three layers. No example job subscribes to
   * anything, so none mails Airflow's failures.
   */
  @Test
  void everyExampleJobPassesAllThreeLayers() throws IOException {
    List<Path> written = Dags.write(jobs, site, VERSION, Optional.empty(), dir.resolve("dags"));

    assertThat(written)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "anomalies-per-tenant.py",
            "orders-kpis-monthly.py",
            "orders-with-customers.py",
            "org-assignments-active.py",
            "persons-directory.py",
            "security-anomalies-daily.py");
    for (Path file : written) {
      String name = file.getFileName().toString().replace(".py", "");
      JsonNode dag = passesThreeLayers(file);

      assertThat(dag.get("dag_id").asText()).isEqualTo(name);
      assertThat(dag.at("/tasks/0/kwargs/application_args/1").asText())
          .isEqualTo("/opt/lakeport/jobs/" + name + ".conf");
      assertThat(dag.at("/kwargs/default_args/email_on_failure").asBoolean()).as(name).isFalse();
      assertThat(dag.at("/kwargs/default_args").has("email")).as(name).isFalse();
    }
  }

  /**
   * A site template (lakeport.airflow.dags.template, read from Lakeport's home: an extra import,
   * DAG arguments of its own and a second task after the export) and a job that sets every key of
   * its airflow block: start date, owner, pool, slots, queue, tags, callbacks and outlets reach the
   * DAG, which imports alike as Airflow 2 (Datasets) and Airflow 3 (the Task SDK's Assets).
   */
  @Test
  void siteTemplateAndTheJobsAirflowBlockShapeTheDag() throws IOException {
    site =
        Site.load(
            Optional.of(
                Fixtures.write(
                    dir,
                    "template.conf",
                    AIRFLOW_DAGS
                        + "lakeport.airflow.dags.template ="
                        + " src/test/resources/airflow/template/team-dag.py.template\n")));
    JobSpec job =
        new JobLoader(site)
            .load(FIXTURES.resolve("tuned-dag.conf"), Map.of(), JobLoader.Mode.VALIDATE);

    Path file =
        Dags.write(List.of(job), site, VERSION, Optional.empty(), dir.resolve("dags")).get(0);
    JsonNode dag = passesThreeLayers(file);

    JsonNode args = dag.get("kwargs");
    assertThat(args.at("/start_date/datetime").asText()).isEqualTo("2026-10-01T00:00:00+02:00");
    assertThat(args.get("tags"))
        .extracting(JsonNode::asText)
        .containsExactly("lakeport", "finance", "nightly");
    assertThat(args.get("doc_md").asText()).startsWith("Nightly orders export");
    assertThat(args.at("/dagrun_timeout/timedelta_seconds").asDouble()).isEqualTo(6 * 3600);
    JsonNode defaults = args.get("default_args");
    assertThat(defaults.get("owner").asText()).isEqualTo("finance-data");
    assertThat(defaults.at("/on_failure_callback/function").asText()).isEqualTo("page_oncall");
    assertThat(defaults.at("/on_failure_callback/module").asText()).isEqualTo("teamhooks.alerts");
    assertThat(defaults.at("/on_success_callback/function").asText())
        .as("a list of one is one callback")
        .isEqualTo("record_success");
    assertThat(defaults.get("on_retry_callback"))
        .extracting(c -> c.get("function").asText())
        .containsExactly("note_retry", "page_oncall");

    JsonNode export = dag.at("/tasks/0");
    assertThat(export.at("/kwargs/pool").asText()).isEqualTo("spark_pool");
    assertThat(export.at("/kwargs/pool_slots").asInt()).isEqualTo(2);
    assertThat(export.at("/kwargs/queue").asText()).isEqualTo("spark");
    assertThat(export.at("/kwargs/outlets"))
        .extracting(o -> o.get("asset").asText())
        .as("a URI as written; a local path as file:// (outside the home: as it is)")
        .containsExactly("s3://lake/exports/orders", "file:///data/marts/orders");
    assertThat(export.get("downstream")).extracting(JsonNode::asText).containsExactly("check");
    JsonNode check = dag.at("/tasks/1/kwargs");
    assertThat(check.get("task_id").asText()).isEqualTo("check");
    assertThat(check.get("pool").asText()).isEqualTo("spark_pool");
    assertThat(check.get("application_args"))
        .extracting(JsonNode::asText)
        .containsExactly("verify", "/opt/lakeport/src/test/resources/airflow/jobs/tuned-dag.conf");
  }

  /** Generating again, on another day, gives the same files: start_date comes from the job. */
  @Test
  void generatingAgainGivesTheSameFiles() throws IOException {
    List<Path> first = Dags.write(jobs, site, VERSION, Optional.empty(), dir.resolve("first"));
    List<Path> second =
        Dags.write(
            jobs, site, VERSION, Optional.of(LocalDate.of(2031, 5, 5)), dir.resolve("second"));

    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i)).hasSameTextualContentAs(first.get(i));
    }
  }

  @Test
  void triggeredOnlyJobExportsTheConfRunDateElseTheDayBefore() {
    Path file =
        Dags.write(
                List.of(job("org-assignments-active")), site, VERSION, START, dir.resolve("dags"))
            .get(0);

    List<JsonNode> rendered =
        StandInAirflow.render(
            file,
            List.of("conf 2026-10-31 2026-11-24T08:00:00+00:00", "2026-11-24T08:00:00+00:00"));

    assertThat(StandInAirflow.dags(file).get(0).at("/kwargs/schedule").isNull()).isTrue();
    assertThat(rendered.get(0).get(0))
        .extracting(JsonNode::asText)
        .containsExactly(
            "run",
            "/opt/lakeport/jobs/org-assignments-active.conf",
            "--param",
            "run_date=2026-10-31",
            "--lineage-parent",
            "airflow/org-assignments-active.run/scheduled__2026-11-24T08:00:00+00:00");
    assertThat(rendered.get(1).get(0))
        .extracting(JsonNode::asText)
        .containsExactly(
            "run",
            "/opt/lakeport/jobs/org-assignments-active.conf",
            "--param",
            "run_date=2026-11-23",
            "--lineage-parent",
            "airflow/org-assignments-active.run/scheduled__2026-11-24T08:00:00+00:00");
  }

  @Test
  void runFailedEmailSubscribersAreMailedByAirflowAndNoSecretIsWritten() throws IOException {
    JobSpec job =
        new JobLoader(site)
            .load(FIXTURES.resolve("failure-mail.conf"), Map.of(), JobLoader.Mode.VALIDATE);

    Path file = Dags.write(List.of(job), site, VERSION, START, dir.resolve("dags")).get(0);
    JsonNode dag = passesThreeLayers(file);

    JsonNode defaults = dag.at("/kwargs/default_args");
    assertThat(defaults.get("email"))
        .extracting(JsonNode::asText)
        .containsExactly("oncall@example.com", "partner@example.com");
    assertThat(defaults.get("email_on_failure").asBoolean()).isTrue();
    assertThat(defaults.get("email_on_retry").asBoolean()).isFalse();
    assertThat(defaults.get("retries").asInt()).isEqualTo(1);
    assertThat(defaults.has("on_failure_callback"))
        .as("webhook and Slack are announced by lakeport run")
        .isFalse();
    assertThat(dag.get("kwargs").has("on_failure_callback")).isFalse();
    assertThat(Files.readString(file))
        .doesNotContain(
            "smtp.example.com",
            "LAKEPORT_SMTP_PASSWORD",
            "ops.example.com",
            "LAKEPORT_HOOK_KEY",
            "LAKEPORT_SLACK_URL");
  }

  @Test
  void siteSubscriptionsMailEveryDagOfAJobUnlessTheJobReplacesThem() {
    site =
        Site.load(
            Optional.of(
                Fixtures.write(
                    dir,
                    "subscribed.conf",
                    AIRFLOW_DAGS
                        + CHANNELS
                        + """
        lakeport.notifications.channels {
          audit-mail { type = email, host = smtp.example.com, port = 25, security = none,
                       from = "lakeport@example.com", to = ["audit@example.com"] }
          oncall-mail { type = email, host = smtp.example.com, port = 25, security = none,
                        from = "lakeport@example.com", to = ["oncall@example.com", "data-team@example.com"] }
        }
        lakeport.notifications.subscriptions {
          data-mail {}
          audit-mail { events = [run-failed] }
          team-slack { level = error }
        }
        """)));
    Path file =
        Fixtures.write(
            dir,
            "kept.conf",
            """
        name = kept
        source { format = csv, path = /data/in }
        sink { format = parquet, path = /tmp/data/out }
        schedule { every = daily, run-time = "02:00" }
        retention {
          keep { days = 30 }
          schedule { cron = "15 4 * * sun" }
        }
        notifications {
          audit-mail { events = [run-succeeded] }
          oncall-mail { level = error }
        }
        """);
    JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE);

    List<Path> written = Dags.write(List.of(job), site, VERSION, START, dir.resolve("dags"));

    assertThat(written).hasSize(2);
    for (Path dagFile : written) {
      JsonNode defaults = StandInAirflow.dags(dagFile).get(0).at("/kwargs/default_args");
      assertThat(defaults.get("email"))
          .as(
              "data-mail at the default level (warning), from the site; audit-mail "
                  + "replaced by the job's run-succeeded; oncall-mail from the job; each address once")
          .extracting(JsonNode::asText)
          .containsExactly("data-team@example.com", "oncall@example.com");
      assertThat(defaults.get("email_on_failure").asBoolean()).isTrue();
      assertThat(defaults.get("email_on_retry").asBoolean()).isFalse();
    }
  }

  @Test
  void scheduledJobImportsAsTheDagItsJobFileDescribes() {
    JobSpec job = job("security-anomalies-daily");
    ScheduleSpec schedule = job.schedule().orElseThrow();

    JsonNode dag =
        StandInAirflow.dags(
                Dags.write(List.of(job), site, VERSION, START, dir.resolve("dags")).get(0))
            .get(0);

    JsonNode args = dag.get("kwargs");
    assertThat(dag.get("dag_id").asText()).isEqualTo("security-anomalies-daily");
    assertThat(args.at("/schedule/CronTriggerTimetable/cron").asText()).isEqualTo("30 2 * * *");
    assertThat(args.at("/schedule/CronTriggerTimetable/timezone").asText())
        .isEqualTo("Europe/Berlin");
    assertThat(args.at("/start_date/datetime").asText()).isEqualTo("2026-11-01T00:00:00+01:00");
    assertThat(args.get("catchup").asBoolean()).as("misfire = all").isTrue();
    assertThat(args.get("max_active_runs").asInt()).isEqualTo(1);
    JsonNode defaults = args.get("default_args");
    assertThat(defaults.get("retries").asInt())
        .isEqualTo(schedule.retry().attempts() - 1)
        .isEqualTo(2);
    assertThat(defaults.at("/retry_delay/timedelta_seconds").asDouble()).isEqualTo(60);
    assertThat(defaults.get("retry_exponential_backoff").asBoolean()).isTrue();
    assertThat(defaults.at("/max_retry_delay/timedelta_seconds").asDouble()).isEqualTo(30 * 60);
    assertThat(args.at("/user_defined_macros/lakeport_run_date/function").asText())
        .isEqualTo("lakeport_run_date");

    assertThat(dag.get("tasks")).hasSize(1);
    JsonNode task = dag.get("tasks").get(0);
    assertThat(task.get("class").asText()).isEqualTo("SparkSubmitOperator");
    JsonNode operator = task.get("kwargs");
    assertThat(operator.get("application").asText())
        .isEqualTo("/opt/lakeport/lib/lakeport-0.1.0.jar");
    assertThat(operator.get("java_class").asText()).isEqualTo("io.lakeport.cli.Lakeport");
    assertThat(operator.get("conn_id").asText()).isEqualTo("spark_default");
    assertThat(operator.get("name").asText()).isEqualTo("lakeport-security-anomalies-daily");
    assertThat(operator.get("packages").asText())
        .isEqualTo("org.apache.spark:spark-hadoop-cloud_2.13:4.1.1");
    assertThat(operator.at("/conf/spark.executor.memory").asText()).isEqualTo("4g");
    assertThat(operator.at("/env_vars/LAKEPORT_HOME").asText()).isEqualTo("/opt/lakeport");
    assertThat(operator.get("application_args"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "run",
            "/opt/lakeport/jobs/security-anomalies-daily.conf",
            "--param",
            "run_date={{ lakeport_run_date(dag_run) }}",
            "--lineage-parent",
            "{{ lakeport_lineage_parent(task_instance) }}");
  }

  @Test
  void latestMisfireAndExecutionWindowMapToNoCatchup() {
    JsonNode dag =
        StandInAirflow.dags(
                Dags.write(
                        List.of(job("orders-kpis-monthly")),
                        site,
                        VERSION,
                        START,
                        dir.resolve("dags"))
                    .get(0))
            .get(0);

    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/cron").asText())
        .isEqualTo("0 3 1 * *");
    assertThat(dag.at("/kwargs/catchup").asBoolean())
        .as("misfire = latest (the default)")
        .isFalse();
    assertThat(dag.at("/kwargs/default_args/retries").asInt()).isEqualTo(2);
  }

  @Test
  void jobWithoutScheduleRunsOnlyWhenTriggered() {
    JsonNode dag =
        StandInAirflow.dags(
                Dags.write(
                        List.of(job("persons-directory")),
                        site,
                        VERSION,
                        START,
                        dir.resolve("dags"))
                    .get(0))
            .get(0);

    assertThat(dag.at("/kwargs/schedule").isNull()).isTrue();
    assertThat(dag.at("/kwargs/catchup").asBoolean()).isFalse();
    assertThat(dag.at("/kwargs/default_args/retries").asInt()).isZero();
    assertThat(dag.at("/kwargs/start_date/zone").asText()).isEqualTo("UTC");
  }

  @Test
  void standInRefusesAMisspeltOrRemovedArgument() throws IOException {
    Path file =
        Dags.write(
                List.of(job("security-anomalies-daily")), site, VERSION, START, dir.resolve("dags"))
            .get(0);
    String text = Files.readString(file);

    Path misspelt =
        Files.writeString(dir.resolve("misspelt.py"), text.replace("java_class=", "main_class="));
    Path removed =
        Files.writeString(
            dir.resolve("removed.py"), text.replace("    schedule=", "    schedule_interval="));
    Path badDefault =
        Files.writeString(dir.resolve("default.py"), text.replace("\"retries\":", "\"retry\":"));
    Path badEmail =
        Files.writeString(
            dir.resolve("email.py"), text.replace("\"email_on_failure\":", "\"email_on_fail\":"));

    assertThat(StandInAirflow.compile(misspelt).exitCode()).isZero();
    assertThat(StandInAirflow.importDag(misspelt).err())
        .contains("SparkSubmitOperator got unexpected keyword argument(s) ['main_class']");
    assertThat(StandInAirflow.importDag(removed).err())
        .contains("DAG got unexpected keyword argument(s) ['schedule_interval']");
    assertThat(StandInAirflow.importDag(badDefault).err())
        .contains("DAG default_args got unexpected keyword argument(s) ['retry']");
    assertThat(StandInAirflow.importDag(badEmail).err())
        .contains("DAG default_args got unexpected keyword argument(s) ['email_on_fail']");
  }

  @Test
  void disabledScheduleTimeoutAndLinearBackoff() {
    JobSpec job =
        Fixtures.job(
            dir,
            """
        name = tuned
        source { format = csv, path = /data/in }
        sink { format = parquet, path = /tmp/data/out }
        schedule {
          cron = "0 15 6 ? * MON-FRI"
          time-zone = "America/New_York"
          enabled = false
          misfire = none
          timeout = 2h
          retry { attempts = 4, backoff = linear, delay = 5m, max-delay = 1h }
        }
        """,
            Map.of());

    JsonNode dag =
        StandInAirflow.dags(
                Dags.write(List.of(job), site, VERSION, START, dir.resolve("dags")).get(0))
            .get(0);

    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/cron").asText())
        .isEqualTo("15 6 * * mon-fri");
    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/timezone").asText())
        .isEqualTo("America/New_York");
    assertThat(dag.at("/kwargs/is_paused_upon_creation").asBoolean()).isTrue();
    assertThat(dag.at("/kwargs/catchup").asBoolean()).isFalse();
    assertThat(dag.at("/kwargs/default_args/retries").asInt()).isEqualTo(3);
    assertThat(dag.at("/kwargs/default_args/retry_exponential_backoff").asBoolean()).isFalse();
    assertThat(dag.at("/kwargs/default_args/retry_delay/timedelta_seconds").asDouble())
        .isEqualTo(300);
    assertThat(dag.at("/kwargs/default_args/execution_timeout/timedelta_seconds").asDouble())
        .isEqualTo(7200);
  }

  @Test
  void retentionOnItsOwnScheduleIsASecondDag() {
    Path file =
        Fixtures.write(
            dir,
            "kept.conf",
            """
        name = kept
        source { format = csv, path = /data/in }
        sink { format = parquet, path = /tmp/data/out }
        schedule { every = daily, run-time = "02:00" }
        retention {
          keep { days = 30, last = 7 }
          schedule { cron = "15 4 * * sun", time-zone = "Europe/Berlin", misfire = none }
        }
        """);
    JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE);

    List<Path> written = Dags.write(List.of(job), site, VERSION, START, dir.resolve("dags"));

    assertThat(written)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("kept.py", "kept-retention.py");
    JsonNode dag = StandInAirflow.dags(written.get(1)).get(0);
    assertThat(dag.get("dag_id").asText()).isEqualTo("kept-retention");
    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/cron").asText())
        .isEqualTo("15 4 * * sun");
    assertThat(dag.at("/kwargs/schedule/CronTriggerTimetable/timezone").asText())
        .isEqualTo("Europe/Berlin");
    assertThat(dag.at("/kwargs/catchup").asBoolean()).as("misfire = none").isFalse();
    assertThat(dag.at("/kwargs/max_active_runs").asInt()).isEqualTo(1);
    JsonNode operator = dag.get("tasks").get(0).get("kwargs");
    assertThat(operator.get("application_args"))
        .extracting(JsonNode::asText)
        .containsExactly("retention", "apply", file.toString());
    assertThat(StandInAirflow.compile(written.get(1)).exitCode()).isZero();
  }

  @Test
  void quartzCronWithSecondsIsRefusedWithItsLine() {
    Path file =
        Fixtures.write(
            dir,
            "seconds.conf",
            """
        name = seconds
        source { format = csv, path = /data/in }
        sink { format = parquet, path = /tmp/data/out }
        schedule {
          cron = "30 0 2 * * ?"
        }
        """);
    JobSpec job = new JobLoader(site).load(file, Map.of(), JobLoader.Mode.VALIDATE);

    assertThatThrownBy(() -> Dags.write(List.of(job), site, VERSION, START, dir.resolve("dags")))
        .isInstanceOf(JobConfigException.class)
        .hasMessage(
            Fixtures.displayed(file)
                + ":4: schedule.cron: cron expression \"30 0 2 * * ?\" cannot be expressed in "
                + "Airflow: it fires at second 30, and Airflow schedules whole minutes. Write it in 5 fields (minute hour "
                + "day-of-month month day-of-week, e.g. \"30 2 * * mon\"), which Lakeport and Airflow read alike.");
    assertThat(dir.resolve("dags")).doesNotExist();
  }

  /**
   * The three layers for one generated file: it equals its golden file (rewritten first with {@code
   * -Dgolden.update=true}), {@code py_compile} accepts it, and it imports against the stand-ins as
   * one DAG, which is returned as recorded.
   */
  private static JsonNode passesThreeLayers(Path file) throws IOException {
    Path golden = GOLDEN.resolve(file.getFileName());
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.copy(file, golden, StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(file)
        .as("generated %s against %s", file.getFileName(), golden)
        .hasSameTextualContentAs(golden);
    StandInAirflow.compile(file).succeeded();
    JsonNode dags = StandInAirflow.dags(file);
    assertThat(dags).as("DAGs recorded importing %s", file.getFileName()).hasSize(1);
    return dags.get(0);
  }

  private JobSpec job(String name) {
    return jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
  }
}
