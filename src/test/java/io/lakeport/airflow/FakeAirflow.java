package io.lakeport.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP server on 127.0.0.1 that answers the few REST calls Lakeport makes the way Airflow 2
 * ({@code /api/v1}, basic auth) or Airflow 3 ({@code /api/v2}, JWT from {@code POST /auth/token})
 * does, and refuses what Airflow refuses: wrong credentials (401), unknown DAGs and runs (404), a
 * run id that exists (409), and in API v2 a trigger body without {@code logical_date} or with a
 * field it does not know, such as {@code execution_date} (422). A hand-written stand-in, since
 * Airflow cannot be installed here; it records every request for the tests to check.
 */
public final class FakeAirflow implements AutoCloseable {
  public static final String USER = "lakeport";
  public static final String PASSWORD = "s3cret-Pa55";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RUNS =
      Pattern.compile("/api/(v1|v2)/dags/([^/]+)/dagRuns(?:/([^/?]+))?");
  private static final Set<String> V1_FIELDS =
      Set.of("dag_run_id", "logical_date", "execution_date", "conf", "note");
  private static final Set<String> V2_FIELDS =
      Set.of(
          "dag_run_id",
          "logical_date",
          "data_interval_start",
          "data_interval_end",
          "conf",
          "note",
          "run_after");

  /** One request as received: method, raw path with query, Authorization header, body. */
  public record Request(
      String method, String path, String authorization, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final int version;
  private final String api;
  private final HttpServer server;
  private final Set<String> dags;
  private final Map<String, ObjectNode> runs = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> tokens = Collections.synchronizedSet(new HashSet<>());

  public FakeAirflow(int version, Set<String> dags) throws IOException {
    this.version = version;
    this.api = version == 3 ? "v2" : "v1";
    this.dags = Set.copyOf(dags);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The body of the last request. */
  public String lastBody() {
    return requests.get(requests.size() - 1).body();
  }

  /** Airflow's scheduler moving a run on. */
  public void setState(String dagId, String runId, String state) {
    ObjectNode run = runs.get(dagId + "/" + runId);
    run.put("state", state);
    if (!state.equals("queued")) {
      run.put("start_date", "2026-11-24T01:30:05.123456+00:00");
    }
    if (state.equals("success") || state.equals("failed")) {
      run.put("end_date", "2026-11-24T01:42:00+00:00");
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path =
        exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
    Request request =
        new Request(
            exchange.getRequestMethod(),
            path,
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            body);
    requests.add(request);
    try {
      answer(exchange, request);
    } catch (RuntimeException e) {
      send(exchange, 500, error(500, "Internal Server Error", e.toString()));
    }
  }

  private void answer(HttpExchange exchange, Request request) throws IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    if (version == 3 && rawPath.equals("/auth/token") && request.method().equals("POST")) {
      JsonNode credentials = request.json();
      if (USER.equals(credentials.path("username").asText())
          && PASSWORD.equals(credentials.path("password").asText())) {
        String token = "eyJ" + UUID.randomUUID().toString().replace("-", "");
        tokens.add(token);
        send(exchange, 201, JSON.createObjectNode().put("access_token", token));
      } else {
        send(exchange, 401, error(401, "Unauthorized", "Invalid credentials"));
      }
      return;
    }
    Matcher matcher = RUNS.matcher(rawPath);
    if (!matcher.matches() || !matcher.group(1).equals(api)) {
      send(exchange, 404, error(404, "Not Found", "Not Found"));
      return;
    }
    if (!authorized(request.authorization())) {
      send(exchange, 401, error(401, "Unauthorized", "Not authenticated"));
      return;
    }
    String dagId = decode(matcher.group(2));
    if (!dags.contains(dagId)) {
      send(
          exchange, 404, error(404, "DAG not found", "DAG with dag_id: '" + dagId + "' not found"));
      return;
    }
    String runId = matcher.group(3) == null ? null : decode(matcher.group(3));
    switch (request.method() + (runId == null ? "" : " one")) {
      case "POST" -> trigger(exchange, dagId, request);
      case "GET" -> list(exchange, dagId, exchange.getRequestURI().getQuery());
      case "GET one" -> {
        ObjectNode run = runs.get(dagId + "/" + runId);
        if (run == null) {
          send(
              exchange,
              404,
              error(
                  404,
                  "DAGRun not found",
                  "DAGRun with DAG ID: '" + dagId + "' and DagRun ID: '" + runId + "' not found"));
        } else {
          send(exchange, 200, run);
        }
      }
      default -> send(exchange, 405, error(405, "Method Not Allowed", request.method()));
    }
  }

  private void trigger(HttpExchange exchange, String dagId, Request request) throws IOException {
    if (!"application/json".equals(request.contentType())) {
      send(
          exchange,
          415,
          error(415, "Unsupported Media Type", String.valueOf(request.contentType())));
      return;
    }
    JsonNode body = request.json();
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    Set<String> known = version == 3 ? V2_FIELDS : V1_FIELDS;
    for (String field : fields) {
      if (!known.contains(field)) {
        send(
            exchange,
            version == 3 ? 422 : 400,
            error(
                version == 3 ? 422 : 400,
                "Bad Request",
                "Extra inputs are not permitted: " + field));
        return;
      }
    }
    if (version == 3 && !body.has("logical_date")) {
      send(exchange, 422, error(422, "Unprocessable Entity", "Field required: logical_date"));
      return;
    }
    String now = Instant.now().toString().replace("Z", "+00:00");
    String logical =
        body.path("logical_date").isTextual() ? body.path("logical_date").asText() : null;
    String runId =
        body.path("dag_run_id").isTextual()
            ? body.path("dag_run_id").asText()
            : "manual__" + (logical != null ? logical : now);
    if (runs.containsKey(dagId + "/" + runId)) {
      send(
          exchange,
          409,
          error(
              409,
              "Conflict",
              "DAGRun with DAG ID: '" + dagId + "' and DAGRun ID: '" + runId + "' already exists"));
      return;
    }
    ObjectNode run = JSON.createObjectNode();
    run.put("dag_id", dagId);
    run.put("dag_run_id", runId);
    run.put("state", "queued");
    if (version == 3 && logical == null) {
      run.putNull("logical_date");
    } else {
      run.put("logical_date", logical != null ? logical : now);
    }
    if (version == 3) {
      run.put("run_after", now);
    }
    run.putNull("start_date");
    run.putNull("end_date");
    run.set("conf", body.path("conf").isObject() ? body.path("conf") : JSON.createObjectNode());
    run.put("run_type", "manual");
    runs.put(dagId + "/" + runId, run);
    send(exchange, 200, run);
  }

  private void list(HttpExchange exchange, String dagId, String query) throws IOException {
    int limit = query == null ? 100 : Integer.parseInt(query.replaceAll(".*limit=(\\d+).*", "$1"));
    List<ObjectNode> matching = new ArrayList<>();
    synchronized (runs) {
      runs.values().stream()
          .filter(r -> r.path("dag_id").asText().equals(dagId))
          .forEach(matching::add);
    }
    Collections.reverse(matching);
    ObjectNode page = JSON.createObjectNode();
    matching.stream().limit(limit).forEach(page.putArray("dag_runs")::add);
    if (!page.has("dag_runs")) {
      page.putArray("dag_runs");
    }
    page.put("total_entries", matching.size());
    send(exchange, 200, page);
  }

  private boolean authorized(String authorization) {
    if (authorization == null) {
      return false;
    }
    if (version == 3) {
      return authorization.startsWith("Bearer ")
          && tokens.contains(authorization.substring("Bearer ".length()));
    }
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    return authorization.equals(expected);
  }

  /** An error body: API v1's problem JSON, or API v2's FastAPI {@code detail}. */
  private ObjectNode error(int status, String title, String detail) {
    ObjectNode error = JSON.createObjectNode();
    error.put("detail", detail);
    if (version == 2) {
      error.put("status", status);
      error.put("title", title);
      error.put(
          "type",
          "https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors");
    }
    return error;
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
