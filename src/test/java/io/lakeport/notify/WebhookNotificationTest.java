package io.lakeport.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.config.EventType;
import io.lakeport.config.NotificationSpec;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import io.lakeport.manifest.Manifest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook and Slack deliveries to a real HTTP server on 127.0.0.1: the payload against the
 * published schema, the HMAC signature recomputed here, Slack's blocks, retries of a dead or
 * failing endpoint, and every try in the run history.
 */
class WebhookNotificationTest {
  private static final String JOB = "orders-daily";
  private static final String RUN = "20261124T020000000Z-abc123";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String RETRIES =
      "delivery { attempts = 3, delay = 20ms, max-delay = 50ms, timeout = 5s }";
  private final ObjectMapper json = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aSucceededRunIsPostedSignedWithItsLinksAndFollowsTheSchema() throws Exception {
    Path key = Files.writeString(dir.resolve("hook.key"), "k3y-shared-with-the-receiver\n");
    Manifest manifest = s3Manifest("passed");
    try (Receiver receiver = Receiver.answering()) {
      Site site =
          NotifyFixtures.site(
              dir,
              "channels.hook { type = webhook, url = \""
                  + receiver.url("/hook")
                  + "\", hmac-secret-file = \""
                  + key
                  + "\" }\nsubscriptions.hook { level = info }\n"
                  + RETRIES,
              NotifyFixtures.s3("http://127.0.0.1:9", "AKIDTEST", "test-secret"));
      try (HistoryStore store = NotifyFixtures.history(site, JOB, RUN);
          Notifier notifier = Notifier.start(site, DeliveryLog.of(store), Clock.systemUTC())) {
        notifier.publish(
            Event.succeeded(
                manifest,
                Optional.of("s3a://exports/orders/_lakeport/manifest-" + RUN + ".json"),
                1,
                Instant.parse("2026-11-24T02:00:43Z")));
        assertThat(notifier.awaitDeliveries(WAIT)).isTrue();

        Receiver.Request request = receiver.next(WAIT);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
            new SecretKeySpec(
                "k3y-shared-with-the-receiver".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(request.header("X-Lakeport-Signature"))
            .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())));
        assertThat(request.header("X-Lakeport-Event")).isEqualTo("run-succeeded");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode payload = json.readTree(request.body());
        assertThat(NotifyFixtures.schemaProblems(payload)).isEmpty();
        assertThat(payload.get("schema_version").asInt()).isEqualTo(1);
        assertThat(payload.get("job").asText()).isEqualTo(JOB);
        assertThat(payload.get("run_id").asText()).isEqualTo(RUN);
        assertThat(payload.get("logical_date").asText()).isEqualTo("2026-11-23");
        assertThat(payload.get("rows").asLong()).isEqualTo(3 + 4);
        assertThat(payload.get("files").asLong()).isEqualTo(2);
        assertThat(payload.get("bytes").asLong())
            .isEqualTo("a,b\n1,2\n3,4\n5,6\n".length() + "a,b\n1,2\n3,4\n5,6\n7,8\n".length());
        assertThat(payload.get("duration_ms").asLong()).isEqualTo(42_000);
        assertThat(payload.get("quality").get("outcome").asText()).isEqualTo("passed");
        assertThat(payload.get("outputs")).hasSize(2);
        JsonNode first = payload.get("outputs").get(0);
        assertThat(first.get("path").asText()).isEqualTo("s3a://exports/orders/part-0.csv");
        assertThat(first.get("download_url").asText())
            .startsWith("http://127.0.0.1:9/exports/orders/part-0.csv?")
            .contains("X-Amz-Signature=", "X-Amz-Expires=3600");
        assertThat(payload.get("error").isNull()).isTrue();
        assertThat(receiver.count()).as("sent once").isZero();

        List<Notification> recorded = store.deliveries().notifications(RUN);
        assertThat(recorded)
            .singleElement()
            .satisfies(
                n -> {
                  assertThat(n.channel()).isEqualTo("webhook");
                  assertThat(n.target())
                      .isEqualTo("run-succeeded to hook " + receiver.url("/hook"));
                  assertThat(n.attempt()).isEqualTo(1);
                  assertThat(n.delivery()).isEqualTo(Notification.Delivery.SENT);
                  assertThat(n.error()).isEmpty();
                });
      }
    }
  }

  @Test
  void everyEventTypeFollowsTheSchema() {
    Manifest warned = s3Manifest("warned");
    Instant at = Instant.parse("2026-11-24T02:00:43Z");
    List<Event> events =
        List.of(
            Event.succeeded(warned, Optional.of("s3a://exports/orders/_lakeport/m.json"), 2, at),
            Event.qualityWarning(
                warned, Optional.of("s3a://exports/orders/_lakeport/m.json"), 2, at),
            Event.failed(
                JOB,
                RUN,
                Optional.of("2026-11-23"),
                3,
                Optional.of(Duration.ofSeconds(5)),
                "Cannot read jdbc:postgresql://db/shop?password=hunter2: connection refused",
                at),
            Event.retentionApplied(JOB, RUN, new Event.Retention(4, 1, 123_456), at),
            Event.scheduleMissed(
                JOB,
                RUN,
                Optional.of(Instant.parse("2026-11-24T02:00:00Z")),
                Optional.of("2026-11-23"),
                "missed: the scheduler was not running",
                at));

    for (Event event : events) {
      JsonNode payload = json.valueToTree(Payload.fields(event, Map.of()));
      assertThat(NotifyFixtures.schemaProblems(payload)).as(event.type().text()).isEmpty();
      assertThat(payload.get("event").asText()).isEqualTo(event.type().text());
    }
    JsonNode failed = json.valueToTree(Payload.fields(events.get(2), Map.of()));
    assertThat(failed.get("level").asText()).isEqualTo("error");
    assertThat(failed.get("error").asText()).doesNotContain("hunter2").contains("password=***");
    assertThat(
            json.valueToTree(Payload.fields(events.get(1), Map.of()))
                .get("quality")
                .get("outcome")
                .asText())
        .isEqualTo("warned");
    assertThat(
            json.valueToTree(Payload.fields(events.get(3), Map.of()))
                .get("retention")
                .get("bytes_freed")
                .asLong())
        .isEqualTo(123_456);
  }

  @Test
  void aDeadEndpointIsTriedAsOftenAsConfiguredAndEveryTryIsRecorded() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = socket.getLocalPort();
    }
    Site site =
        NotifyFixtures.site(
            dir,
            "channels.dead { type = webhook, url = \"http://127.0.0.1:"
                + closed
                + "/hook\" }\nsubscriptions.dead { level = error }\n"
                + RETRIES);
    try (HistoryStore store = NotifyFixtures.history(site, JOB, RUN);
        Notifier notifier = Notifier.start(site, DeliveryLog.of(store), Clock.systemUTC())) {
      notifier.publish(
          Event.failed(JOB, RUN, Optional.empty(), 1, Optional.empty(), "boom", Instant.now()));
      assertThat(notifier.awaitDeliveries(WAIT)).isTrue();

      List<Notification> recorded = store.deliveries().notifications(RUN);
      assertThat(recorded).extracting(Notification::attempt).containsExactly(1, 2, 3);
      assertThat(recorded)
          .allSatisfy(
              n -> {
                assertThat(n.delivery()).isEqualTo(Notification.Delivery.FAILED);
                assertThat(n.error().orElseThrow())
                    .startsWith("Cannot reach http://127.0.0.1:" + closed);
              });
    }
  }

  @Test
  void serverErrorsAreRetriedWithTheSameSignedBodyUntilOneIsAccepted() throws Exception {
    try (Receiver receiver = Receiver.answering(500, 503)) {
      Site site =
          NotifyFixtures.site(
              dir,
              "channels.hook { type = webhook, url = \""
                  + receiver.url("/x")
                  + "\" }\nsubscriptions.hook { events = [run-failed] }\n"
                  + RETRIES);
      try (HistoryStore store = NotifyFixtures.history(site, JOB, RUN);
          Notifier notifier = Notifier.start(site, DeliveryLog.of(store), Clock.systemUTC())) {
        notifier.publish(
            Event.failed(JOB, RUN, Optional.empty(), 3, Optional.empty(), "boom", Instant.now()));
        assertThat(notifier.awaitDeliveries(WAIT)).isTrue();

        byte[] body = receiver.next(WAIT).body();
        assertThat(receiver.next(WAIT).body()).isEqualTo(body);
        assertThat(receiver.next(WAIT).body()).isEqualTo(body);
        assertThat(store.deliveries().notifications(RUN))
            .extracting(Notification::delivery, n -> n.error().orElse(""))
            .containsExactly(
                Tuple.tuple(Notification.Delivery.FAILED, "HTTP 500: status 500"),
                Tuple.tuple(Notification.Delivery.FAILED, "HTTP 503: status 503"),
                Tuple.tuple(Notification.Delivery.SENT, ""));
      }
    }
  }

  @Test
  void aSubscriptionGetsOnlyTheEventsAtItsLevelAndAJobsOwnReplacesTheSites() throws Exception {
    try (Receiver receiver = Receiver.answering()) {
      Site site =
          NotifyFixtures.site(
              dir,
              "channels.hook { type = webhook, url = \""
                  + receiver.url("/x")
                  + "\" }\nsubscriptions.hook { level = error }\n"
                  + RETRIES);
      try (HistoryStore store = NotifyFixtures.history(site, JOB, RUN);
          Notifier notifier = Notifier.start(site, DeliveryLog.of(store), Clock.systemUTC())) {
        Manifest manifest = s3Manifest("passed");
        notifier.publish(
            Event.succeeded(manifest, Optional.of("s3a://x/m.json"), 1, Instant.now()));
        notifier.publish(
            Event.retentionApplied(JOB, RUN, new Event.Retention(1, 0, 10), Instant.now()));
        assertThat(notifier.awaitDeliveries(WAIT)).isTrue();
        assertThat(receiver.count()).as("info events below the site's error level").isZero();

        var jobWantsInfo =
            new NotificationSpec(
                Map.of(
                    "hook",
                    new NotificationSpec.Subscription(
                        "hook", EventType.Level.INFO, Set.of(), List.of())));
        notifier.publish(
            Event.retentionApplied(JOB, RUN, new Event.Retention(1, 0, 10), Instant.now()),
            jobWantsInfo);
        assertThat(notifier.awaitDeliveries(WAIT)).isTrue();
        assertThat(json.readTree(receiver.next(WAIT).body()).get("event").asText())
            .isEqualTo("retention-applied");
      }
    }
  }

  @Test
  void slackGetsTheFactsAsBlocksFromAUrlInAFile() throws Exception {
    try (Receiver receiver = Receiver.answering()) {
      Path url =
          Files.writeString(
              dir.resolve("slack.url"), receiver.url("/services/T000/B000/XXXX") + "\n");
      Site site =
          NotifyFixtures.site(
              dir,
              "channels.team { type = slack, url-file = \""
                  + url
                  + "\" }\n"
                  + "subscriptions.team { level = info }\n"
                  + RETRIES,
              NotifyFixtures.s3("http://127.0.0.1:9", "AKIDTEST", "s"));
      try (HistoryStore store = NotifyFixtures.history(site, JOB, RUN);
          Notifier notifier = Notifier.start(site, DeliveryLog.of(store), Clock.systemUTC())) {
        notifier.publish(
            Event.succeeded(
                s3Manifest("passed"),
                Optional.of("s3a://exports/orders/_lakeport/m.json"),
                1,
                Instant.now()));
        notifier.publish(
            Event.failed(
                JOB,
                RUN,
                Optional.of("2026-11-23"),
                3,
                Optional.of(Duration.ofMinutes(2)),
                "Cannot read s3a://in/orders: Access Denied",
                Instant.now()));
        assertThat(notifier.awaitDeliveries(WAIT)).isTrue();

        List<JsonNode> messages =
            List.of(
                json.readTree(receiver.next(WAIT).body()),
                json.readTree(receiver.next(WAIT).body()));
        JsonNode succeeded =
            messages.stream()
                .filter(m -> m.get("text").asText().contains("succeeded"))
                .findFirst()
                .orElseThrow();
        JsonNode failed =
            messages.stream()
                .filter(m -> m.get("text").asText().contains("failed"))
                .findFirst()
                .orElseThrow();
        assertThat(succeeded.get("text").asText())
            .isEqualTo("orders-daily: run succeeded (run " + RUN + ")");
        JsonNode blocks = succeeded.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(1).get("type").asText()).isEqualTo("section");
        assertThat(blocks.get(1).get("fields"))
            .hasSizeLessThanOrEqualTo(10)
            .allSatisfy(field -> assertThat(field.get("type").asText()).isEqualTo("mrkdwn"));
        assertThat(blocks.get(1).get("fields").findValuesAsText("text"))
            .contains("*Rows*\n7", "*Files*\n2", "*Logical date*\n2026-11-23", "*Quality*\npassed");
        assertThat(blocks.get(2).get("text").get("text").asText())
            .startsWith("*Downloads*")
            .contains("<http://127.0.0.1:9/exports/orders/part-0.csv?", "|part-0.csv>");
        assertThat(blocks.get(3).get("type").asText()).isEqualTo("context");
        assertThat(failed.get("blocks").get(2).get("text").get("text").asText())
            .isEqualTo("*Error*\n```Cannot read s3a://in/orders: Access Denied```");
        assertThat(store.deliveries().notifications(RUN))
            .extracting(Notification::channel, Notification::target)
            .containsOnly(
                Tuple.tuple("slack", "run-succeeded to team (url from file:" + url + ")"),
                Tuple.tuple("slack", "run-failed to team (url from file:" + url + ")"));
      }
    }
  }

  private static Manifest s3Manifest(String quality) {
    return NotifyFixtures.manifest(
        JOB,
        RUN,
        "s3a://exports/orders",
        List.of(
            NotifyFixtures.file(
                "part-0.csv", 3, "a,b\n1,2\n3,4\n5,6\n".getBytes(StandardCharsets.UTF_8)),
            NotifyFixtures.file(
                "part-1.csv", 4, "a,b\n1,2\n3,4\n5,6\n7,8\n".getBytes(StandardCharsets.UTF_8))),
        quality);
  }
}
