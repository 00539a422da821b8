package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.notify.NotifyFixtures;
import io.lakeport.notify.Receiver;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport run} with notifications, as users call it: a dead webhook is tried as often as
 * configured, every try lands in the run history and {@code lakeport status}, and the run still
 * succeeds; a failing run is announced as run-failed and keeps its own exit code; a run whose warn
 * rule fails on some rows publishes them all and is announced as a quality-warning with the rule's
 * counts.
 */
class NotifyCliSparkTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern RUN_ID = Pattern.compile("job people-export run (\\S+):");
  @TempDir Path dir;
  private Path warehouse;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void warehouse() throws Exception {
    TestSpark.session();
    warehouse = Files.createDirectories(dir.resolve("warehouse"));
    Files.writeString(
        warehouse.resolve("people.csv"), "id,name,age\n1,ada,36\n2,alan,41\n3,grace,85\n");
  }

  @Test
  void aDeadWebhookIsRetriedRecordedAndShownWhileTheRunSucceeds() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path site =
        site(
            "channels.dead { type = webhook, url = \"http://127.0.0.1:"
                + closed
                + "/hook\" }\n"
                + "subscriptions.dead { level = info }\n");
    Path job =
        job(
            "source { format = csv, path = \""
                + warehouse.resolve("people.csv")
                + "\", options.header = true }");

    int code = Cli.lakeport(site, out, err, "run", job.toString());

    assertThat(code).as(err.toString()).isZero();
    Matcher id = RUN_ID.matcher(out.toString());
    assertThat(id.find()).as(out.toString()).isTrue();
    out.getBuffer().setLength(0);
    assertThat(Cli.lakeport(site, out, err, "status", id.group(1))).isZero();
    String status = out.toString();
    assertThat(status).contains("status    succeeded");
    String notifications =
        status.substring(status.indexOf("notifications:"), status.indexOf("alerts:"));
    assertThat(notifications.lines().skip(1).toList())
        .hasSize(3)
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "webhook run-succeeded to dead http://127.0.0.1:" + closed + "/hook",
                        "failed: Cannot reach"));
    assertThat(notifications).contains("attempt 1", "attempt 2", "attempt 3");
  }

  @Test
  void aFailedRunIsAnnouncedAndKeepsItsExitCode() throws Exception {
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            received.add(in.readAllBytes());
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      Path site =
          site(
              "channels.hook { type = webhook, url = \"http://127.0.0.1:"
                  + server.getAddress().getPort()
                  + "/hook\" }\nsubscriptions.hook { level = error }\n");
      Path job = job("source { format = parquet, path = \"" + dir.resolve("missing") + "\" }");

      int code = Cli.lakeport(site, out, err, "run", job.toString());

      assertThat(code).as("a source that does not exist is a config error").isEqualTo(2);
      byte[] body = received.poll(20, TimeUnit.SECONDS);
      assertThat(body).as("the run-failed notification").isNotNull();
      JsonNode payload = new ObjectMapper().readTree(body);
      assertThat(payload.get("event").asText()).isEqualTo("run-failed");
      assertThat(payload.get("job").asText()).isEqualTo("people-export");
      assertThat(payload.get("status").asText()).isEqualTo("failed");
      assertThat(payload.get("attempts").asInt()).isEqualTo(1);
      assertThat(payload.get("error").asText())
          .contains("cannot read " + dir.resolve("missing"), "Path does not exist");
      assertThat(received).as("one notification: nothing below error").isEmpty();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aRunWhoseWarnRuleFailsOnSomeRowsPublishesAndSendsAQualityWarning() throws Exception {
    try (Receiver receiver = Receiver.answering()) {
      Path site =
          site(
              "channels.hook { type = webhook, url = \""
                  + receiver.url("/hook")
                  + "\" }\n"
                  + "subscriptions.hook { level = warning }\n");
      Path job =
          job(
              "source { format = csv, path = \""
                  + warehouse.resolve("people.csv")
                  + "\", options.header = true }\n"
                  + "quality.rules = [ { name = name-starts-with-a, column = name, regex = \"^a\", action = warn } ]");

      int code = Cli.lakeport(site, out, err, "run", job.toString());

      assertThat(code).as(err.toString()).isZero();
      Matcher id = RUN_ID.matcher(out.toString());
      assertThat(id.find()).as(out.toString()).isTrue();
      Receiver.Request request = receiver.next(Duration.ofSeconds(20));
      assertThat(request.header("X-Lakeport-Event")).isEqualTo("quality-warning");
      JsonNode payload = new ObjectMapper().readTree(request.body());
      assertThat(NotifyFixtures.schemaProblems(payload)).isEmpty();
      assertThat(payload.get("event").asText()).isEqualTo("quality-warning");
      assertThat(payload.get("level").asText()).isEqualTo("warning");
      assertThat(payload.get("job").asText()).isEqualTo("people-export");
      assertThat(payload.get("run_id").asText()).isEqualTo(id.group(1));
      assertThat(payload.get("status").asText()).as("a warning publishes").isEqualTo("succeeded");
      assertThat(payload.get("rows").asLong()).as("warned rows are exported").isEqualTo(3);
      JsonNode quality = payload.get("quality");
      assertThat(quality.get("outcome").asText()).isEqualTo("warned");
      assertThat(quality.get("rejected_rows").asLong()).isZero();
      assertThat(quality.get("rules"))
          .extracting(
              r -> r.get("rule").asText(),
              r -> r.get("outcome").asText(),
              r -> r.get("checked").asLong(),
              r -> r.get("failed").asLong())
          .containsExactlyInAnyOrder(
              Tuple.tuple("name-starts-with-a", "warned", 3L, 1L),
              Tuple.tuple("malformed-records", "passed", 3L, 0L));
      assertThat(payload.get("outputs"))
          .isNotEmpty()
          .allSatisfy(
              output -> {
                String location = output.get("path").asText();
                Path file =
                    location.startsWith("file:")
                        ? Path.of(URI.create(location))
                        : Path.of(location);
                assertThat(file)
                    .startsWith(dir.resolve("exports/people"))
                    .isRegularFile()
                    .hasSize(output.get("bytes").asLong());
                assertThat(output.get("sha256").asText())
                    .isEqualTo(sha256(Files.readAllBytes(file)));
              });
      assertThat(receiver.count())
          .as("run-succeeded is info, below the subscription's level")
          .isZero();
    }
  }

  @Test
  void aSchemaChangeIsAnnouncedRecordedAndRefusedAsTheJobsPolicySays() throws Exception {
    try (Receiver receiver = Receiver.answering()) {
      Path site =
          site(
              "channels.hook { type = webhook, url = \""
                  + receiver.url("/hook")
                  + "\" }\n"
                  + "subscriptions.hook { level = warning }\n");
      String source =
          "source { format = csv, path = \""
              + warehouse.resolve("people.csv")
              + "\", options.header = true }\n";
      Path job = job(source);
      assertThat(Cli.lakeport(site, out, err, "run", job.toString())).as(err.toString()).isZero();
      Matcher first = RUN_ID.matcher(out.toString());
      assertThat(first.find()).isTrue();
      String firstRun = first.group(1);
      assertThat(receiver.count()).as("no change, nothing at warning").isZero();

      // age goes (on-removed = fail by default), senior comes (on-added = warn)
      String changed =
          source
              + "plan { derive { senior = \"cast(age as int) > 60\" }, select.exclude = [age] }\n";
      job = job(changed);
      out.getBuffer().setLength(0);
      int refused = Cli.lakeport(site, out, err, "run", job.toString());

      assertThat(refused).as(err.toString()).isEqualTo(5);
      assertThat(err.toString())
          .contains(
              "schema-drift policy refuses age: removed (was string) (removed, fail)",
              "the previous export is kept",
              "schema-drift { on-removed = warn }");
      List<Receiver.Request> sent = List.of(receiver.next(WAIT), receiver.next(WAIT));
      Map<String, JsonNode> byEvent = new java.util.HashMap<>();
      for (Receiver.Request request : sent) {
        JsonNode payload = new ObjectMapper().readTree(request.body());
        assertThat(NotifyFixtures.schemaProblems(payload)).isEmpty();
        byEvent.put(payload.get("event").asText(), payload);
      }
      assertThat(byEvent).containsOnlyKeys("schema-changed", "run-failed");
      JsonNode schemaChanged = byEvent.get("schema-changed");
      assertThat(schemaChanged.get("status").asText()).isEqualTo("failed");
      assertThat(schemaChanged.get("level").asText()).isEqualTo("warning");
      assertThat(schemaChanged.at("/schema_drift/compared_with").asText())
          .isEqualTo("run " + firstRun);
      assertThat(schemaChanged.at("/schema_drift/changes"))
          .extracting(
              c -> c.get("kind").asText(),
              c -> c.get("column").asText(),
              c -> c.get("after").asText(),
              c -> c.get("action").asText())
          .containsExactly(
              Tuple.tuple("added", "senior", "boolean", "warn"),
              Tuple.tuple("removed", "age", "null", "fail"));
      String refusedRun = schemaChanged.get("run_id").asText();
      assertThat(byEvent.get("run-failed").get("run_id").asText()).isEqualTo(refusedRun);

      out.getBuffer().setLength(0);
      assertThat(Cli.lakeport(site, out, err, "status", refusedRun)).isZero();
      assertThat(out.toString())
          .contains(
              "status    failed",
              "schema    changed since run " + firstRun,
              "senior: added as boolean (added, warn)",
              "age: removed (was string) (removed, fail)");
      assertThat(out.toString()).containsPattern("#1 .* exit 5 ");
      out.getBuffer().setLength(0);
      assertThat(Cli.lakeport(site, out, err, "schema", "diff", "--plan", job.toString()))
          .as("the plan would still be refused")
          .isEqualTo(5);
      assertThat(out.toString())
          .contains("from run " + firstRun + " to the job's plan:")
          .containsPattern("added +senior +- +boolean +warn")
          .containsPattern("removed +age +string +- +fail");

      job = job(changed + "schema-drift.on-removed = warn\n");
      out.getBuffer().setLength(0);
      assertThat(Cli.lakeport(site, out, err, "run", job.toString())).as(err.toString()).isZero();
      JsonNode warned = new ObjectMapper().readTree(receiver.next(WAIT).body());
      assertThat(NotifyFixtures.schemaProblems(warned)).isEmpty();
      assertThat(warned.get("event").asText()).isEqualTo("schema-changed");
      assertThat(warned.get("status").asText()).isEqualTo("succeeded");
      assertThat(warned.get("rows").asLong()).isEqualTo(3);
      assertThat(warned.at("/schema_drift/changes"))
          .extracting(c -> c.get("column").asText() + " " + c.get("action").asText())
          .containsExactly("senior warn", "age warn");
      Matcher second = RUN_ID.matcher(out.toString());
      assertThat(second.find()).isTrue();

      out.getBuffer().setLength(0);
      assertThat(Cli.lakeport(site, out, err, "schema", "diff", job.toString())).isZero();
      assertThat(out.toString())
          .contains("from run " + firstRun + " to run " + second.group(1) + ":")
          .containsPattern("removed +age +string +- +warn");
      out.getBuffer().setLength(0);
      assertThat(Cli.lakeport(site, out, err, "schema", "diff", "--plan", job.toString())).isZero();
      assertThat(out.toString()).contains("no change");
    }
  }

  private static String sha256(byte[] content) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  private Path site(String notifications) {
    return Fixtures.write(
        dir,
        "application.conf",
        "lakeport {\n  warehouse = \""
            + warehouse
            + "\"\n  exports = \""
            + dir.resolve("exports")
            + "\"\n  history.url = \"jdbc:h2:file:"
            + dir.resolve("history/lakeport")
            + "\"\n"
            + "  notifications {\n"
            + notifications
            + "    delivery { attempts = 3, delay = 20ms, max-delay = 50ms, timeout = 5s }\n"
            + "  }\n}\n");
  }

  private Path job(String source) {
    return Fixtures.write(
        dir,
        "people.conf",
        "name = people-export\n"
            + source
            + "\n"
            + "sink { format = csv, path = ${lakeport.exports}/people, mode = overwrite }\n");
  }
}
