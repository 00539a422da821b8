package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeport run} with notifications, as users call it: a dead webhook is tried as often as
 * configured, every try lands in the run history and {@code lakeport status}, and the run still
 * succeeds; a failing run is announced as run-failed and keeps its own exit code.
 */
class NotifyCliSparkTest {
  private static final Pattern RUN_ID = Pattern.compile("job people-export run (\\S+):");
  @TempDir Path dir;
  private Path warehouse;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void warehouse() throws Exception {
    TestSpark.session();
    warehouse = Files.createDirectories(dir.resolve("warehouse"));
    Files.writeString(warehouse.resolve("people.csv"), "id,name,age\n1,ada,36\n2,alan,41\n3,grace,85\n");
  }

  @Test
  void aDeadWebhookIsRetriedRecordedAndShownWhileTheRunSucceeds() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path site = site("channels.dead { type = webhook, url = \"http://127.0.0.1:" + closed + "/hook\" }\n"
        + "subscriptions.dead { level = info }\n");
    Path job = job("source { format = csv, path = \"" + warehouse.resolve("people.csv") + "\", options.header = true }");

    int code = Cli.lakeport(site, out, err, "run", job.toString());

    assertThat(code).as(err.toString()).isZero();
    Matcher id = RUN_ID.matcher(out.toString());
    assertThat(id.find()).as(out.toString()).isTrue();
    out.getBuffer().setLength(0);
    assertThat(Cli.lakeport(site, out, err, "status", id.group(1))).isZero();
    String status = out.toString();
    assertThat(status).contains("status    succeeded");
    String notifications = status.substring(status.indexOf("notifications:"));
    assertThat(notifications.lines().skip(1).toList()).hasSize(3).allSatisfy(line -> assertThat(line)
        .contains("webhook run-succeeded to dead http://127.0.0.1:" + closed + "/hook", "failed: Cannot reach"));
    assertThat(notifications).contains("attempt 1", "attempt 2", "attempt 3");
  }

  @Test
  void aFailedRunIsAnnouncedAndKeepsItsExitCode() throws Exception {
    LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        received.add(in.readAllBytes());
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    try {
      Path site = site("channels.hook { type = webhook, url = \"http://127.0.0.1:" + server.getAddress().getPort()
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
      assertThat(payload.get("error").asText()).contains("cannot read " + dir.resolve("missing"), "Path does not exist");
      assertThat(received).as("one notification: nothing below error").isEmpty();
    } finally {
      server.stop(0);
    }
  }

  private Path site(String notifications) {
    return Fixtures.write(dir, "application.conf", "lakeport {\n  warehouse = \"" + warehouse + "\"\n  exports = \""
        + dir.resolve("exports") + "\"\n  history.url = \"jdbc:h2:file:" + dir.resolve("history/lakeport") + "\"\n"
        + "  notifications {\n" + notifications + "    delivery { attempts = 3, delay = 20ms, max-delay = 50ms, timeout = 5s }\n"
        + "  }\n}\n");
  }

  private Path job(String source) {
    return Fixtures.write(dir, "people.conf", "name = people-export\n" + source + "\n"
        + "sink { format = csv, path = ${lakeport.exports}/people, mode = overwrite }\n");
  }
}
