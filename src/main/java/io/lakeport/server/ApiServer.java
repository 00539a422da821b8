package io.lakeport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lakeport.config.ApiSettings;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.Secrets;
import io.lakeport.history.HistoryException;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Run;
import io.lakeport.schedule.ScheduledJob;
import io.lakeport.schedule.Scheduler;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's HTTP server (the JDK's): the status API under {@code /api}, Prometheus metrics at
 * {@code /metrics}, liveness and readiness at {@code /health}, and the web page at {@code /}. Reads
 * the run history and the scheduler's jobs; changes (enable, run now, cancel) go through the
 * history and the scheduler and need the bearer token, as reads do unless they are open. Every
 * answer but the page and the metrics is JSON, errors included ({@code {"error": ..., "status":
 * ...}}).
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final int MAX_BODY = 64 * 1024;
  private static final int THREADS = 4;

  /** The JDK HTTP server's switch for TCP_NODELAY on its connections, read when it first starts. */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  private static final String JSON = "application/json; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ApiSettings settings;
  private final Token token;
  private final HistoryStore store;
  private final JobsResource jobs;
  private final RunsResource runs;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;

  private ApiServer(
      HttpServer server,
      ApiSettings settings,
      Token token,
      HistoryStore store,
      List<ScheduledJob> scheduled,
      Map<String, Path> unscheduled,
      Scheduler scheduler,
      JobLoader loader,
      Clock clock) {
    this.server = server;
    this.settings = settings;
    this.token = token;
    this.store = store;
    this.jobs = new JobsResource(store, scheduled, unscheduled, loader, clock);
    this.runs = new RunsResource(store, scheduler, clock);
    registry.register(new RunMetrics(store, scheduled, clock));
    JvmMetrics.builder().register(registry);
    this.requests =
        Counter.builder()
            .name("lakeport_api_requests")
            .help("Requests the API answered, by endpoint and status.")
            .labelNames("endpoint", "code")
            .register(registry);
    this.executor =
        Executors.newFixedThreadPool(
            THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, "lakeport-api");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Serves the API on the settings' address and port until {@link #close()}, with the token the
   * settings point at (read now), for the scheduler's {@code scheduled} jobs and its jobs without a
   * schedule ({@code unscheduled}, by name and job file: those whose manual runs it starts, see
   * {@link Scheduler#startManualRunsOf}). Throws {@link ApiException} when the token cannot be
   * read, and {@link IOException} when the address cannot be bound.
   */
  public static ApiServer start(
      ApiSettings settings,
      HistoryStore store,
      List<ScheduledJob> scheduled,
      Map<String, Path> unscheduled,
      Scheduler scheduler,
      JobLoader loader,
      Clock clock)
      throws IOException {
    Token token = Token.of(settings, System::getenv);
    // the JDK's server sends headers and body as two writes; without TCP_NODELAY the body can wait
    // for the client's delayed ACK (40 ms on Linux) on every answer, /metrics included
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.address(), settings.port()), 0);
    } catch (IOException e) {
      throw new IOException(
          "Cannot serve the API on "
              + settings.address()
              + ":"
              + settings.port()
              + ": "
              + e.getMessage()
              + ". Set lakeport.api.port (or address) to a free one, or lakeport.api.enabled = false",
          e);
    }
    ApiServer api =
        new ApiServer(
            server, settings, token, store, scheduled, unscheduled, scheduler, loader, clock);
    server.start();
    LOG.info(
        "API serving on {} (mutating calls {}; reads {})",
        api.uri(),
        token.configured() ? "need the token" : "refused: no token",
        settings.reads() == ApiSettings.Reads.OPEN ? "open" : "need the token");
    return api;
  }

  /** Where the server listens, e.g. {@code http://127.0.0.1:8470/}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String endpoint = "unknown";
    int status;
    try {
      List<String> path = segments(exchange.getRequestURI().getRawPath());
      endpoint = endpoint(path);
      try {
        status = route(exchange, path);
      } catch (ApiError e) {
        status = error(exchange, e.status(), e.getMessage());
      } catch (JobConfigException e) {
        status =
            error(
                exchange,
                ApiErrors.BAD_REQUEST,
                String.join("\n", e.problems().stream().map(ConfigProblem::message).toList()));
      } catch (HistoryException e) {
        LOG.warn(
            "API call {} {} failed on the run history: {}",
            exchange.getRequestMethod(),
            endpoint,
            e.getMessage());
        status = error(exchange, ApiErrors.UNAVAILABLE, Secrets.maskUrl(e.getMessage()));
      } catch (RuntimeException e) {
        LOG.error("API call {} {} failed", exchange.getRequestMethod(), endpoint, e);
        status = error(exchange, ApiErrors.INTERNAL, ApiErrors.internal().getMessage());
      }
    } finally {
      exchange.close();
    }
    requests.labelValues(endpoint, String.valueOf(status)).inc();
  }

  /** Answers the request; returns the status sent. */
  private int route(HttpExchange exchange, List<String> path) throws IOException {
    String method = exchange.getRequestMethod();
    String shown = "/" + String.join("/", path);
    if (path.isEmpty() || path.size() == 1 && WebPage.has(path.get(0))) {
      allow(method, "GET", shown);
      return WebPage.serve(exchange, path.isEmpty() ? WebPage.INDEX : path.get(0));
    }
    if (path.equals(List.of("health"))) {
      allow(method, "GET", shown);
      return health(exchange);
    }
    if (path.equals(List.of("metrics"))) {
      allow(method, "GET", shown);
      read(exchange);
      return metrics(exchange);
    }
    if (path.size() < 2 || !path.get(0).equals("api")) {
      throw ApiErrors.notFound(shown);
    }
    return switch (path.get(1)) {
      case "jobs" -> jobs(exchange, path.subList(2, path.size()), shown);
      case "runs" -> runs(exchange, path.subList(2, path.size()), shown);
      default -> throw ApiErrors.notFound(shown);
    };
  }

  private int jobs(HttpExchange exchange, List<String> rest, String shown) throws IOException {
    String method = exchange.getRequestMethod();
    if (rest.isEmpty()) {
      allow(method, "GET", shown);
      read(exchange);
      return json(exchange, 200, jobs.list());
    }
    String name = rest.get(0);
    if (rest.size() == 1) {
      allow(method, "GET", shown);
      read(exchange);
      return json(exchange, 200, jobs.job(name));
    }
    if (rest.size() == 2 && rest.get(1).equals("enabled")) {
      allow(method, "PUT", shown);
      write(exchange);
      return json(
          exchange,
          200,
          jobs.setEnabled(name, Json.read(body(exchange), JobsResource.ENABLED_EXAMPLE)));
    }
    if (rest.size() == 2 && rest.get(1).equals("runs")) {
      allow(method, "POST", shown);
      write(exchange);
      JobsResource.Queued queued =
          jobs.runNow(name, Json.read(body(exchange), JobsResource.RUN_EXAMPLE));
      if (!queued.backfill()) {
        Run run = queued.runs().get(0);
        exchange.getResponseHeaders().set("Location", "/api/runs/" + run.id());
        return json(exchange, 202, RunViews.summary(run, run.queuedAt()));
      }
      Map<String, Object> view = Json.object();
      view.put(
          "runs",
          queued.runs().stream().map(run -> RunViews.summary(run, run.queuedAt())).toList());
      return json(exchange, 202, view);
    }
    throw ApiErrors.notFound(shown);
  }

  private int runs(HttpExchange exchange, List<String> rest, String shown) throws IOException {
    String method = exchange.getRequestMethod();
    if (rest.isEmpty()) {
      allow(method, "GET", shown);
      read(exchange);
      return json(exchange, 200, runs.list(query(exchange.getRequestURI().getRawQuery())));
    }
    String runId = rest.get(0);
    if (rest.size() == 1) {
      allow(method, "GET", shown);
      read(exchange);
      return json(exchange, 200, runs.run(runId));
    }
    if (rest.size() == 2 && rest.get(1).equals("cancel")) {
      allow(method, "POST", shown);
      write(exchange);
      Map<String, Object> cancelled = runs.cancel(runId);
      return json(
          exchange, "stopping".equals(cancelled.get("cancellation")) ? 202 : 200, cancelled);
    }
    if (rest.size() == 2 && rest.get(1).equals("manifest")) {
      allow(method, "GET", shown);
      read(exchange);
      JsonNode manifest = runs.manifestOf(runId);
      return json(exchange, 200, manifest);
    }
    if (rest.size() == 2 && rest.get(1).equals("log")) {
      allow(method, "GET", shown);
      read(exchange);
      String tail = runs.logTail(runId, query(exchange.getRequestURI().getRawQuery()));
      return send(exchange, 200, TEXT, tail.getBytes(StandardCharsets.UTF_8));
    }
    throw ApiErrors.notFound(shown);
  }

  /** Liveness (any answer) and readiness (the run history answers): 200 when ready, else 503. */
  private int health(HttpExchange exchange) throws IOException {
    Map<String, Object> view = Json.object();
    view.put("live", true);
    String history;
    try {
      store.runLog().queued();
      history = "ok";
    } catch (HistoryException e) {
      history = Secrets.maskUrl(e.getMessage());
    }
    boolean ready = history.equals("ok");
    view.put("ready", ready);
    view.put("history", history);
    return json(exchange, ready ? 200 : ApiErrors.UNAVAILABLE, view);
  }

  private int metrics(HttpExchange exchange) throws IOException {
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    writer.write(text, registry.scrape());
    return send(exchange, 200, writer.getContentType(), text.toByteArray());
  }

  private void read(HttpExchange exchange) {
    if (settings.reads() == ApiSettings.Reads.TOKEN) {
      token.check(authorization(exchange));
    }
  }

  private void write(HttpExchange exchange) {
    token.check(authorization(exchange));
  }

  private static Optional<String> authorization(HttpExchange exchange) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"));
  }

  private static void allow(String method, String allowed, String shown) {
    if (!method.equals(allowed)) {
      throw ApiErrors.methodNotAllowed(method, shown, allowed);
    }
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        throw ApiErrors.tooLarge(MAX_BODY);
      }
      return body;
    }
  }

  private static int json(HttpExchange exchange, int status, Object body) throws IOException {
    return send(exchange, status, JSON, Json.write(body));
  }

  private static int error(HttpExchange exchange, int status, String message) throws IOException {
    Map<String, Object> body = Json.object();
    body.put("error", message);
    body.put("status", status);
    if (status == ApiErrors.UNAUTHORIZED) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"lakeport\"");
    }
    return json(exchange, status, body);
  }

  static int send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    return status;
  }

  /** The path's segments, decoded: {@code /api/runs/x} is {@code [api, runs, x]}. */
  static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String part : rawPath.split("/")) {
      if (!part.isEmpty()) {
        segments.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  /** The query's parameters, decoded; a parameter given twice is refused. */
  static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key =
          URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value =
          equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      if (query.put(key, value) != null) {
        throw ApiErrors.badRequest("Query parameter \"" + key + "\" is given twice. Give it once.");
      }
    }
    return query;
  }

  /** A label for the metrics that does not grow with job names or run ids. */
  private static String endpoint(List<String> path) {
    if (path.size() < 2 || !path.get(0).equals("api")) {
      return path.isEmpty()
          ? "/"
          : path.size() == 1 && Arrays.asList("health", "metrics").contains(path.get(0))
              ? "/" + path.get(0)
              : "other";
    }
    return switch (path.size()) {
      case 2 -> "/api/" + path.get(1);
      case 3 -> "/api/" + path.get(1) + "/{id}";
      default -> "/api/" + path.get(1) + "/{id}/" + path.get(3);
    };
  }
}
