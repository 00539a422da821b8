package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport scheduler start} serves the API from its own process: a real scheduler in a child
 * JVM (it runs until SIGTERM), called over HTTP at the address it prints, knowing its scheduled job
 * and its job without a schedule; and a token variable that is not set stops it at start with exit
 * 2.
 */
class SchedulerApiTest {
  private static final Pattern ADDRESS = Pattern.compile("^api: (http://127\\.0\\.0\\.1:\\d+/) .*");

  @TempDir Path dir;
  private Path site;
  private Path job;
  private Path manual;

  @BeforeEach
  void siteAndJob() {
    site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport.history.url = \"jdbc:h2:file:"
                + dir.resolve("history")
                + "\"\nlakeport.exports = \""
                + dir.resolve("exports")
                + "\"\nlakeport.api { port = 0, token-env = LAKEPORT_API_TOKEN }\n");
    job =
        Fixtures.write(
            dir,
            "nightly.conf",
            """
        name = nightly
        source { format = parquet, path = /in }
        sink { format = parquet, path = ${lakeport.exports}/nightly }
        schedule { every = daily, run-time = "03:00" }
        """);
    manual =
        Fixtures.write(
            dir,
            "adhoc.conf",
            """
        name = adhoc
        params { region = eu }
        source { format = parquet, path = /in }
        sink { format = parquet, path = ${lakeport.exports}"/adhoc/"${params.region}, mode = overwrite }
        """);
  }

  @Test
  void theRunningSchedulerServesItsJobsAndTakesChangesWithTheToken() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(Files.readString(Path.of("target", "launcher", "jvm-flags")).trim().split("\\s+")));
    command.addAll(
        List.of(
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.lakeport.cli.Lakeport",
            "scheduler",
            "--site-conf=" + site,
            "start",
            job.toString(),
            manual.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("LAKEPORT_API_TOKEN", "child-token");
    Process child = builder.start();
    try {
      URI api = address(child).get(60, TimeUnit.SECONDS);
      HttpClient client = HttpClient.newHttpClient();

      HttpResponse<String> jobs =
          client.send(
              HttpRequest.newBuilder(api.resolve("/api/jobs")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(jobs.statusCode()).isEqualTo(200);
      assertThat(jobs.body())
          .contains("\"name\":\"nightly\"")
          .contains("\"schedule\":\"daily at 03:00\"")
          .contains("\"name\":\"adhoc\",\"file\":\"" + manual + "\",\"schedule\":null");
      // the API checks a run of the job without a schedule against that job's file
      HttpResponse<String> refused =
          client.send(
              HttpRequest.newBuilder(api.resolve("/api/jobs/adhoc/runs"))
                  .header("Authorization", "Bearer child-token")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"params\": {\"colour\": \"red\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body())
          .contains(
              "params.colour: the job declares no such parameter. Declared parameters: region");
      // a parameter is a value: one that would lead the overwrite out of its folder is refused
      HttpResponse<String> escape =
          client.send(
              HttpRequest.newBuilder(api.resolve("/api/jobs/adhoc/runs"))
                  .header("Authorization", "Bearer child-token")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"params\": {\"region\": \"../../../../victimdir\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(escape.statusCode()).isEqualTo(400);
      assertThat(escape.body())
          .contains(
              "sink.path: parameter region = \\\"../../../../victimdir\\\" cannot be part of a path")
          .doesNotContain("\tat ");
      HttpResponse<String> disabled =
          client.send(
              HttpRequest.newBuilder(api.resolve("/api/jobs/nightly/enabled"))
                  .header("Authorization", "Bearer child-token")
                  .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\": false}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(disabled.statusCode()).isEqualTo(200);
      assertThat(disabled.body()).contains("\"enabled\":false").doesNotContain("child-token");
      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(api.resolve("/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).isEqualTo("{\"live\":true,\"ready\":true,\"history\":\"ok\"}");
    } finally {
      child.destroy();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the scheduler stops on SIGTERM").isTrue();
    }
  }

  @Test
  void aTokenVariableThatIsNotSetStopsTheSchedulerAtStart() {
    Path unset =
        Fixtures.write(
            dir,
            "unset.conf",
            "lakeport.history.url = \"jdbc:h2:file:"
                + dir.resolve("history")
                + "\"\nlakeport.api { port = 0, token-env = LAKEPORT_TEST_TOKEN_NOBODY_SETS }\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit =
        Lakeport.execute(
            new PrintWriter(out),
            new PrintWriter(err),
            "scheduler",
            "--site-conf=" + unset,
            "start",
            job.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "Cannot start the API: the environment variable LAKEPORT_TEST_TOKEN_NOBODY_SETS"
                + " (lakeport.api.token-env) is not set. Export it, or use lakeport.api.token-file."
                + System.lineSeparator());
  }

  /** The API address the child prints; its output is drained to the end so it never blocks. */
  private static CompletableFuture<URI> address(Process child) {
    CompletableFuture<URI> address = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                StringBuilder log = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  log.append(line).append('\n');
                  Matcher m = ADDRESS.matcher(line);
                  if (m.matches()) {
                    address.complete(URI.create(m.group(1)));
                  }
                }
                address.completeExceptionally(
                    new AssertionError("the scheduler printed no API address:\n" + log));
              } catch (IOException e) {
                address.completeExceptionally(e);
              }
            },
            "scheduler-output");
    reader.setDaemon(true);
    reader.start();
    return address;
  }
}
