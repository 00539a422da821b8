package io.lakeport.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.Fixtures;
import io.lakeport.config.AirflowSettings;
import io.lakeport.config.Site;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST client against {@link FakeAirflow}, a server on 127.0.0.1 that checks each request's
 * method, path, authentication and body the way Airflow 2 (API v1) and Airflow 3 (API v2) do.
 */
class AirflowClientTest {
  private static final String DAG = "security-anomalies-daily";

  @TempDir Path dir;
  private FakeAirflow airflow;

  @AfterEach
  void stop() {
    if (airflow != null) {
      airflow.close();
    }
  }

  @ParameterizedTest(name = "Airflow {0}")
  @ValueSource(ints = {2, 3})
  void triggerThenFollowTheRunToSuccess(int version) throws Exception {
    AirflowClient client = client(version, FakeAirflow.PASSWORD);

    DagRun triggered =
        client.trigger(DAG, Optional.of("lakeport__2026-11-23"), Map.of("run_date", "2026-11-23"));

    assertThat(triggered.runId()).isEqualTo("lakeport__2026-11-23");
    assertThat(triggered.dagId()).isEqualTo(DAG);
    assertThat(triggered.state()).isEqualTo("queued");
    assertThat(triggered.conf()).isEqualTo(Map.of("run_date", "2026-11-23"));
    List<FakeAirflow.Request> requests = airflow.requests();
    FakeAirflow.Request trigger = requests.get(requests.size() - 1);
    String api = version == 3 ? "/api/v2" : "/api/v1";
    assertThat(trigger.method()).isEqualTo("POST");
    assertThat(trigger.path()).isEqualTo(api + "/dags/" + DAG + "/dagRuns");
    JsonNode body = trigger.json();
    assertThat(body.get("dag_run_id").asText()).isEqualTo("lakeport__2026-11-23");
    assertThat(body.at("/conf/run_date").asText()).isEqualTo("2026-11-23");
    assertThat(body.has("execution_date")).isFalse();
    if (version == 3) {
      FakeAirflow.Request token = requests.get(0);
      assertThat(token.method() + " " + token.path()).isEqualTo("POST /auth/token");
      assertThat(token.json().get("username").asText()).isEqualTo(FakeAirflow.USER);
      assertThat(trigger.authorization()).startsWith("Bearer eyJ");
      assertThat(body.has("logical_date")).isTrue();
      assertThat(body.get("logical_date").isNull()).isTrue();
      assertThat(triggered.logicalDate()).isEmpty();
    } else {
      assertThat(requests).hasSize(1);
      assertThat(trigger.authorization())
          .isEqualTo(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (FakeAirflow.USER + ":" + FakeAirflow.PASSWORD)
                              .getBytes(StandardCharsets.UTF_8)));
      assertThat(triggered.logicalDate()).isPresent();
    }

    airflow.setState(DAG, triggered.runId(), "running");
    assertThat(client.run(DAG, triggered.runId()).state()).isEqualTo("running");
    airflow.setState(DAG, triggered.runId(), "success");
    DagRun done = client.run(DAG, triggered.runId());
    assertThat(done.state()).isEqualTo("success");
    assertThat(done.startDate())
        .hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("2026-11-24T01:30:05.123456Z"));
    assertThat(done.endDate())
        .hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("2026-11-24T01:42:00Z"));
    FakeAirflow.Request read = airflow.requests().get(airflow.requests().size() - 1);
    assertThat(read.method() + " " + read.path())
        .isEqualTo("GET " + api + "/dags/" + DAG + "/dagRuns/lakeport__2026-11-23");
    if (version == 3) {
      assertThat(airflow.requests())
          .filteredOn(r -> r.path().equals("/auth/token"))
          .as("one token per client")
          .hasSize(1);
    }
  }

  @ParameterizedTest(name = "Airflow {0}")
  @ValueSource(ints = {2, 3})
  void runIdsWithColonsAndPlusSignsAreEncoded(int version) throws Exception {
    AirflowClient client = client(version, FakeAirflow.PASSWORD);
    String runId = "manual__2026-11-23T01:30:00+00:00";
    client.trigger(DAG, Optional.of(runId), Map.of());

    assertThat(client.run(DAG, runId).runId()).isEqualTo(runId);
    assertThat(airflow.requests().get(airflow.requests().size() - 1).path())
        .endsWith("/dagRuns/manual__2026-11-23T01%3A30%3A00%2B00%3A00");
  }

  @ParameterizedTest(name = "Airflow {0}")
  @ValueSource(ints = {2, 3})
  void duplicateRunIdIsAConflict(int version) throws Exception {
    AirflowClient client = client(version, FakeAirflow.PASSWORD);
    client.trigger(DAG, Optional.of("again"), Map.of());

    assertThatThrownBy(() -> client.trigger(DAG, Optional.of("again"), Map.of()))
        .isInstanceOfSatisfying(
            AirflowException.class,
            e -> assertThat(e.kind()).isEqualTo(AirflowException.Kind.CONFLICT))
        .hasMessage(
            "Cannot trigger DAG "
                + DAG
                + " in Airflow at "
                + airflow.url()
                + ": a run with that id exists already (HTTP 409: "
                + (version == 2 ? "Conflict: " : "")
                + "DAGRun with DAG ID: '"
                + DAG
                + "' and DAGRun ID: 'again' already exists). "
                + "Choose another --run-id, or none to let Airflow name the run");
  }

  @ParameterizedTest(name = "Airflow {0}")
  @ValueSource(ints = {2, 3})
  void wrongPasswordIsRefusedWithoutShowingIt(int version) throws Exception {
    AirflowClient client = client(version, "wrong-password");

    assertThatThrownBy(() -> client.trigger(DAG, Optional.empty(), Map.of()))
        .isInstanceOfSatisfying(
            AirflowException.class,
            e -> assertThat(e.kind()).isEqualTo(AirflowException.Kind.FAILED))
        .hasMessageContaining("user lakeport was refused (HTTP 401")
        .hasMessageNotContaining("wrong-password");
    assertThat(client.toString()).doesNotContain("wrong-password");
  }

  @ParameterizedTest(name = "Airflow {0}")
  @ValueSource(ints = {2, 3})
  void unknownDagAndRunAreNotFound(int version) throws Exception {
    AirflowClient client = client(version, FakeAirflow.PASSWORD);

    assertThatThrownBy(() -> client.trigger("no-such-dag", Optional.empty(), Map.of()))
        .isInstanceOfSatisfying(
            AirflowException.class,
            e -> assertThat(e.kind()).isEqualTo(AirflowException.Kind.NOT_FOUND))
        .hasMessageContaining("DAG with dag_id: 'no-such-dag' not found");
    assertThatThrownBy(() -> client.run(DAG, "missing"))
        .isInstanceOfSatisfying(
            AirflowException.class,
            e -> assertThat(e.kind()).isEqualTo(AirflowException.Kind.NOT_FOUND));
  }

  @ParameterizedTest(name = "Airflow {0}")
  @ValueSource(ints = {2, 3})
  void latestRunsNewestFirst(int version) throws Exception {
    AirflowClient client = client(version, FakeAirflow.PASSWORD);
    for (String id : List.of("first", "second", "third")) {
      client.trigger(DAG, Optional.of(id), Map.of());
    }

    assertThat(client.runs(DAG, 2)).extracting(DagRun::runId).containsExactly("third", "second");
    String api = version == 3 ? "/api/v2" : "/api/v1";
    assertThat(airflow.requests().get(airflow.requests().size() - 1).path())
        .isEqualTo(api + "/dags/" + DAG + "/dagRuns?order_by=-start_date&limit=2");
  }

  @Test
  void passwordFromTheEnvironmentOrAClearError() throws Exception {
    airflow = new FakeAirflow(2, Set.of(DAG));
    AirflowSettings settings = settings(2, "password-env = LAKEPORT_AIRFLOW_PASSWORD");

    AirflowClient client =
        AirflowClient.of(
            settings,
            name -> name.equals("LAKEPORT_AIRFLOW_PASSWORD") ? FakeAirflow.PASSWORD : null);
    assertThat(client.trigger(DAG, Optional.empty(), Map.of()).state()).isEqualTo("queued");
    assertThatThrownBy(() -> AirflowClient.of(settings, name -> null))
        .hasMessage(
            "Cannot talk to Airflow at "
                + airflow.url()
                + ": the environment variable LAKEPORT_AIRFLOW_PASSWORD "
                + "(lakeport.airflow.password-env) is not set. Export it, or use lakeport.airflow.password-file");
  }

  @Test
  void apiV2RefusesABodyWithoutLogicalDateOrWithExecutionDate() throws Exception {
    // The fake's own checks, so that the client tests above would catch a client that got the body
    // wrong.
    airflow = new FakeAirflow(3, Set.of(DAG));
    HttpClient http = HttpClient.newHttpClient();
    String token =
        new ObjectMapper()
            .readTree(
                http.send(
                        HttpRequest.newBuilder(URI.create(airflow.url() + "/auth/token"))
                            .header("Content-Type", "application/json")
                            .POST(
                                HttpRequest.BodyPublishers.ofString(
                                    "{\"username\":\"lakeport\",\"password\":\""
                                        + FakeAirflow.PASSWORD
                                        + "\"}"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .get("access_token")
            .asText();
    for (String body :
        List.of("{\"conf\":{}}", "{\"logical_date\":null,\"execution_date\":null,\"conf\":{}}")) {
      int status =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(airflow.url() + "/api/v2/dags/" + DAG + "/dagRuns"))
                      .header("Content-Type", "application/json")
                      .header("Authorization", "Bearer " + token)
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode();
      assertThat(status).as(body).isEqualTo(422);
    }
  }

  private AirflowClient client(int version, String password) throws Exception {
    airflow = new FakeAirflow(version, Set.of(DAG));
    Path secret = Fixtures.write(dir, "airflow.password", "  " + password + "\n");
    return AirflowClient.of(settings(version, "password-file = \"" + secret + "\""), name -> null);
  }

  private AirflowSettings settings(int version, String password) {
    Path conf =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport.airflow { url = \""
                + airflow.url()
                + "\", version = "
                + version
                + ", user = "
                + FakeAirflow.USER
                + ", "
                + password
                + " }\n");
    return Site.load(Optional.of(conf)).airflow();
  }
}
