package io.lakeport.server;

import io.lakeport.Fixtures;
import io.lakeport.TestClock;
import io.lakeport.config.ApiSettings;
import io.lakeport.config.HistorySettings;
import io.lakeport.config.JobLoader;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Worker;
import io.lakeport.schedule.Schedule;
import io.lakeport.schedule.ScheduledJob;
import io.lakeport.schedule.Scheduler;
import io.lakeport.schedule.SchedulerOptions;
import io.lakeport.schedule.launch.Launcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A real H2 run history on a test clock, two scheduled jobs and one without a schedule, a scheduler
 * over them (launches held by {@link HeldLauncher}, unless a test gives another launcher and its
 * own jobs without a schedule) and the API server on a free port of 127.0.0.1, with HTTP helpers
 * that keep every answer, so tests can check that none carries the token.
 */
final class ApiFixture implements AutoCloseable {
  static final String TOKEN = "s3cret-api-token-0123456789";
  static final String START = "2026-11-24T08:00:00Z";

  final Path dir;
  final TestClock clock = TestClock.at(START);
  final HistoryStore store;
  final ScheduledJob orders;
  final ScheduledJob kpis;
  final Map<String, Path> unscheduled;
  final Launcher launcher;
  final Scheduler scheduler;
  final ApiServer server;
  final List<String> answers = new ArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ApiFixture(Path dir, ApiSettings.Reads reads, boolean withToken) throws IOException {
    this(
        dir,
        reads,
        withToken,
        new HeldLauncher(),
        Map.of("backfill", jobFile(dir, "backfill", "UTC", Optional.empty())));
  }

  /**
   * With {@code launcher} starting the runs, and {@code unscheduled} as the jobs without a schedule
   * (by name and job file) whose manual runs the scheduler starts and the API knows.
   */
  ApiFixture(
      Path dir,
      ApiSettings.Reads reads,
      boolean withToken,
      Launcher launcher,
      Map<String, Path> unscheduled)
      throws IOException {
    this.dir = dir;
    this.launcher = launcher;
    this.unscheduled = Map.copyOf(unscheduled);
    this.store =
        HistoryStore.open(
            new HistorySettings(
                "jdbc:h2:file:" + dir.resolve("history").toAbsolutePath(),
                HistorySettings.Database.H2,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Duration.ofMinutes(5),
                Optional.empty()),
            clock);
    this.orders = job("orders", "Europe/Berlin", "every = daily, run-time = \"02:30\"");
    this.kpis = job("kpis", "UTC", "every = hourly, minute = 15");
    List<ScheduledJob> jobs = List.of(orders, kpis);
    this.scheduler =
        new Scheduler(
            jobs,
            store,
            launcher,
            clock,
            new SchedulerOptions(
                2,
                "scheduler@host-1",
                new Worker("host-1", 4242),
                new SplittableRandom(7),
                Duration.ofMinutes(5),
                Duration.ofHours(6)));
    scheduler.startManualRunsOf(unscheduled);
    Path tokenFile = Fixtures.write(dir, "api.token", TOKEN + "\n");
    ApiSettings settings =
        new ApiSettings(
            ApiSettings.Status.ENABLED,
            "127.0.0.1",
            0,
            Optional.empty(),
            withToken ? Optional.of(tokenFile) : Optional.empty(),
            reads);
    this.server =
        ApiServer.start(
            settings,
            store,
            jobs,
            this.unscheduled,
            scheduler,
            new JobLoader(Fixtures.site()),
            clock);
  }

  static ApiFixture open(Path dir) throws IOException {
    return new ApiFixture(dir, ApiSettings.Reads.OPEN, true);
  }

  /** The launcher the fixture made, holding every launch until the test ends it. */
  HeldLauncher held() {
    return (HeldLauncher) launcher;
  }

  private ScheduledJob job(String name, String zone, String schedule) {
    Path file = jobFile(dir, name, zone, Optional.of(schedule));
    return new ScheduledJob(
        Schedule.of(
                new JobLoader(Fixtures.site())
                    .load(file, Map.of("run_date", "2026-11-23"), JobLoader.Mode.RUN))
            .orElseThrow(),
        file);
  }

  /** A job file with a required {@code run_date} and a {@code region}, scheduled or not. */
  private static Path jobFile(Path dir, String name, String zone, Optional<String> schedule) {
    String hocon =
        "name = "
            + name
            + "\ntime-zone = \""
            + zone
            + "\"\nwindow = day\n"
            + "params { run_date = null, region = eu }\n"
            + "source { format = parquet, path = /in }\nsink { format = parquet, path = /tmp/out }\n"
            + schedule.map(block -> "schedule {\n" + block + "\n}\n").orElse("");
    return Fixtures.write(dir.resolve(name), "job.conf", hocon);
  }

  Instant now() {
    return clock.instant();
  }

  URI uri(String path) {
    return server.uri().resolve(path);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), Optional.empty());
  }

  HttpResponse<String> get(String path, String token) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), Optional.of(token));
  }

  HttpResponse<String> put(String path, String body, Optional<String> token) {
    return send(
        HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)), token);
  }

  HttpResponse<String> post(String path, String body, Optional<String> token) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .POST(
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)),
        token);
  }

  HttpResponse<String> send(HttpRequest.Builder request, Optional<String> token) {
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      answers.add(response.headers().map() + "\n" + response.body());
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
