package io.lakeport.airflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.config.AirflowSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Airflow's stable REST API, for triggering DAG runs and reading their state. Airflow 2: {@code
 * /api/v1} with basic auth. Airflow 3: {@code /api/v2} with a JWT from {@code POST /auth/token}
 * sent as a bearer token (fetched once per client); its trigger body always has {@code
 * logical_date}, {@code null} unless given, and never {@code execution_date}. The password is read
 * when the client is created, from the environment variable or file the site settings name.
 */
public final class AirflowClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";

  private final AirflowSettings settings;
  private final URI url;
  private final String user;
  private final String password;
  private final HttpClient http;
  private String token;

  private AirflowClient(AirflowSettings settings, URI url, String user, String password) {
    this.settings = settings;
    this.url = url;
    this.user = user;
    this.password = password;
    this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
  }

  /**
   * A client of the Airflow the site settings name; the environment is read for {@code
   * password-env}.
   */
  public static AirflowClient of(AirflowSettings settings) {
    return of(settings, System::getenv);
  }

  static AirflowClient of(AirflowSettings settings, UnaryOperator<String> environment) {
    URI url =
        settings
            .url()
            .orElseThrow(
                () ->
                    failed(
                        "Cannot talk to Airflow: lakeport.airflow.url is not set. "
                            + "Set it (and user, password-env or password-file) in conf/application.conf",
                        null));
    String user =
        settings
            .user()
            .orElseThrow(
                () ->
                    failed(
                        "Cannot talk to Airflow at " + url + ": lakeport.airflow.user is not set",
                        null));
    return new AirflowClient(settings, url, user, password(settings, url, environment));
  }

  /**
   * Triggers a run of {@code dagId} with {@code conf}; Airflow names it unless {@code runId} is
   * given. A run id that exists already is {@link AirflowException.Kind#CONFLICT}.
   */
  public DagRun trigger(String dagId, Optional<String> runId, Map<String, Object> conf) {
    Map<String, Object> body = new LinkedHashMap<>();
    runId.ifPresent(id -> body.put("dag_run_id", id));
    if (settings.version() == AirflowSettings.Version.AIRFLOW_3) {
      body.put("logical_date", null);
    }
    body.put("conf", conf);
    String action = "trigger DAG " + dagId;
    return dagRun(
        send(
            action,
            request(runsPath(dagId)).POST(HttpRequest.BodyPublishers.ofString(json(body)))));
  }

  /** The run {@code runId} of {@code dagId}. */
  public DagRun run(String dagId, String runId) {
    return dagRun(
        send(
            "read run " + runId + " of DAG " + dagId,
            request(runsPath(dagId) + "/" + segment(runId)).GET()));
  }

  /** The latest runs of {@code dagId}, newest start first, at most {@code limit}. */
  public List<DagRun> runs(String dagId, int limit) {
    JsonNode page =
        send(
            "list runs of DAG " + dagId,
            request(runsPath(dagId) + "?order_by=-start_date&limit=" + limit).GET());
    List<DagRun> runs = new ArrayList<>();
    page.path("dag_runs").forEach(node -> runs.add(dagRun(node)));
    return List.copyOf(runs);
  }

  private String runsPath(String dagId) {
    String api = settings.version() == AirflowSettings.Version.AIRFLOW_3 ? "/api/v2" : "/api/v1";
    return api + "/dags/" + segment(dagId) + "/dagRuns";
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(resolve(path))
        .timeout(settings.requestTimeout())
        .header("Accept", JSON_TYPE)
        .header("Content-Type", JSON_TYPE)
        .header("Authorization", authorization());
  }

  private String authorization() {
    if (settings.version() == AirflowSettings.Version.AIRFLOW_2) {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    if (token == null) {
      token = token();
    }
    return "Bearer " + token;
  }

  /** Airflow 3's JWT for the user, from {@code POST /auth/token}. */
  private String token() {
    Map<String, Object> credentials = new LinkedHashMap<>();
    credentials.put("username", user);
    credentials.put("password", password);
    HttpRequest request =
        HttpRequest.newBuilder(resolve("/auth/token"))
            .timeout(settings.requestTimeout())
            .header("Accept", JSON_TYPE)
            .header("Content-Type", JSON_TYPE)
            .POST(HttpRequest.BodyPublishers.ofString(json(credentials)))
            .build();
    JsonNode answer = exchange("get a token for user " + user, request);
    String accessToken = answer.path("access_token").asText("");
    if (accessToken.isEmpty()) {
      throw failed(
          "Cannot get a token for user "
              + user
              + " from Airflow at "
              + url
              + ": the answer of POST /auth/token has no access_token",
          null);
    }
    return accessToken;
  }

  private JsonNode send(String action, HttpRequest.Builder request) {
    return exchange(action, request.build());
  }

  private JsonNode exchange(String action, HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw failed("Cannot " + action + " in Airflow at " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("Cannot " + action + " in Airflow at " + url + ": interrupted", e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return parse(action, response.body());
    }
    String detail = "HTTP " + status + detail(response.body());
    String prefix = "Cannot " + action + " in Airflow at " + url + ": ";
    throw switch (status) {
      case 409 ->
          new AirflowException(
              AirflowException.Kind.CONFLICT,
              prefix
                  + "a run with that id exists already ("
                  + detail
                  + "). Choose another --run-id, or none to let Airflow name the run",
              null);
      case 404 ->
          new AirflowException(
              AirflowException.Kind.NOT_FOUND,
              prefix
                  + "not found ("
                  + detail
                  + "). Check the DAG id (lakeport airflow generate writes <job name>.py) and that Airflow has loaded it",
              null);
      case 401, 403 ->
          failed(
              prefix
                  + "user "
                  + user
                  + " was refused ("
                  + detail
                  + "). Check lakeport.airflow.user and its password, and the user's permissions on the DAG",
              null);
      default -> failed(prefix + detail, null);
    };
  }

  /**
   * Airflow's explanation from an error body ({@code detail}, and {@code title} in API v1), if any.
   */
  private static String detail(String body) {
    try {
      JsonNode error = JSON.readTree(body);
      String text =
          error.path("detail").isTextual()
              ? error.path("detail").asText()
              : error.path("detail").isMissingNode() ? "" : error.path("detail").toString();
      String title = error.path("title").asText("");
      String joined = title.isEmpty() ? text : text.isEmpty() ? title : title + ": " + text;
      return joined.isEmpty() ? "" : ": " + joined;
    } catch (JsonProcessingException | RuntimeException e) {
      return body.isBlank() ? "" : ": " + body.strip().lines().findFirst().orElse("");
    }
  }

  private JsonNode parse(String action, String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw failed("Cannot " + action + " in Airflow at " + url + ": the answer is not JSON", e);
    }
  }

  private static DagRun dagRun(JsonNode node) {
    Map<String, Object> conf =
        node.path("conf").isObject()
            ? JSON.convertValue(node.path("conf"), new TypeReference<Map<String, Object>>() {})
            : Map.of();
    return new DagRun(
        node.path("dag_id").asText(""),
        node.path("dag_run_id").asText(""),
        node.path("state").asText(""),
        instant(node, "logical_date"),
        instant(node, "start_date"),
        instant(node, "end_date"),
        conf);
  }

  private static Optional<Instant> instant(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty()
        ? Optional.of(OffsetDateTime.parse(value.asText()).toInstant())
        : Optional.empty();
  }

  private URI resolve(String path) {
    String base = url.toString().replaceAll("/+$", "");
    return URI.create(base + path);
  }

  /**
   * A path segment: dag ids are plain, run ids hold {@code :} and {@code +} ({@code
   * manual__2026-...+00:00}).
   */
  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON: " + e.getMessage(), e);
    }
  }

  private static String password(
      AirflowSettings settings, URI url, UnaryOperator<String> environment) {
    String prefix = "Cannot talk to Airflow at " + url + ": ";
    if (settings.passwordEnv().isPresent()) {
      String name = settings.passwordEnv().get();
      String value = environment.apply(name);
      if (value == null || value.isEmpty()) {
        throw failed(
            prefix
                + "the environment variable "
                + name
                + " (lakeport.airflow.password-env) is not set. "
                + "Export it, or use lakeport.airflow.password-file",
            null);
      }
      return value;
    }
    if (settings.passwordFile().isPresent()) {
      Path file = Path.of(settings.passwordFile().get());
      try {
        return Files.readString(file).strip();
      } catch (IOException e) {
        throw failed(
            prefix
                + "cannot read the password file "
                + file
                + " (lakeport.airflow.password-file): "
                + e,
            e);
      }
    }
    throw failed(prefix + "no password: set lakeport.airflow.password-env or password-file", null);
  }

  private static AirflowException failed(String message, Throwable cause) {
    return new AirflowException(AirflowException.Kind.FAILED, message, cause);
  }

  @Override
  public String toString() {
    return "AirflowClient["
        + url
        + ", "
        + settings.version()
        + ", user "
        + user
        + ", password ****]";
  }
}
