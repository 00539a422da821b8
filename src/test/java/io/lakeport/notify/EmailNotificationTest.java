package io.lakeport.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.lakeport.config.NotificationSettings;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import io.lakeport.manifest.Manifest;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Email to a real SMTP server on 127.0.0.1 (GreenMail, started here) with a login, read back: the
 * templated subject, the plain text and HTML bodies, a small export attached byte for byte, a
 * larger one linked instead.
 */
class EmailNotificationTest {
  private static final String JOB = "orders-daily";
  private static final String RUN = "20261124T020000000Z-abc123";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort())
          .withConfiguration(
              GreenMailConfiguration.aConfig()
                  .withUser("lakeport@example.com", "lakeport", "smtp-s3cret"));

  @TempDir Path dir;

  @Test
  void aSmallExportArrivesAttachedWithTextAndHtmlBodies() throws Exception {
    byte[] part0 = "id,amount\n1,10\n2,20\n".getBytes(StandardCharsets.UTF_8);
    byte[] part1 = "id,amount\n3,30\n".getBytes(StandardCharsets.UTF_8);
    Path export = Files.createDirectories(dir.resolve("exports/orders/day=2026-11-23"));
    Files.write(export.resolve("part-0.csv"), part0);
    Files.write(export.resolve("part-1.csv"), part1);
    Manifest manifest =
        NotifyFixtures.manifest(
            JOB,
            RUN,
            dir.resolve("exports/orders").toString(),
            List.of(
                NotifyFixtures.file("day=2026-11-23/part-0.csv", 2, part0),
                NotifyFixtures.file("day=2026-11-23/part-1.csv", 1, part1)),
            "warned");

    Map<String, Part> attachments = new LinkedHashMap<>();
    MimeMessage mail = deliver(manifest, "1MB", attachments);

    assertThat(mail.getSubject()).isEqualTo("[lakeport] orders-daily: run succeeded (2026-11-23)");
    assertThat(mail.getFrom()).containsExactly(new InternetAddress("lakeport@example.com"));
    assertThat(mail.getAllRecipients())
        .containsExactly(
            new InternetAddress("partner@example.com"), new InternetAddress("ops@example.com"));
    assertThat(mail.getHeader("X-Lakeport-Run")).containsExactly(RUN);
    String text = body(mail, "text/plain");
    assertThat(text)
        .startsWith("orders-daily: run succeeded\n")
        .contains(
            "Run:          " + RUN,
            "Logical date: 2026-11-23",
            "Rows:         3",
            "Files:        2",
            "Quality:      warned",
            "Attached files:\nday=2026-11-23/part-0.csv\nday=2026-11-23/part-1.csv",
            "lakeport status " + RUN);
    assertThat(body(mail, "text/html"))
        .contains(
            "<h2 style=\"margin: 0 0 12px 0;\">orders-daily: run succeeded</h2>",
            "<th style=\"text-align: left; padding: 2px 12px 2px 0;\">Rows</th><td>3</td>",
            "<h3>Attached files</h3>");
    assertThat(attachments)
        .containsOnlyKeys("day=2026-11-23_part-0.csv", "day=2026-11-23_part-1.csv");
    assertThat(bytes(attachments.get("day=2026-11-23_part-0.csv"))).isEqualTo(part0);
    assertThat(bytes(attachments.get("day=2026-11-23_part-1.csv"))).isEqualTo(part1);
  }

  @Test
  void anExportOverTheCapIsLinkedNotAttached() throws Exception {
    byte[] content = "x".repeat(2_000).getBytes(StandardCharsets.UTF_8);
    Manifest manifest =
        NotifyFixtures.manifest(
            JOB,
            RUN,
            "s3a://exports/orders",
            List.of(NotifyFixtures.file("part-0.csv", 2_000, content)),
            "passed");

    Map<String, Part> attachments = new LinkedHashMap<>();
    MimeMessage mail = deliver(manifest, "1kB", attachments);

    assertThat(attachments).isEmpty();
    assertThat(body(mail, "text/plain"))
        .contains(
            "Download links (valid until ",
            "part-0.csv\n  http://127.0.0.1:9/exports/orders/part-0.csv?");
    assertThat(body(mail, "text/html"))
        .contains("<a href=\"http://127.0.0.1:9/exports/orders/part-0.csv?");
  }

  @Test
  void starttlsIsRequiredAndSmtpsSpeaksTlsFromTheStart() {
    NotificationSettings.Email starttls =
        new NotificationSettings.Email(
            "m",
            "smtp.example.com",
            587,
            NotificationSettings.Security.STARTTLS,
            Optional.of("u"),
            Optional.empty(),
            "a@example.com",
            List.of(),
            Optional.empty());
    NotificationSettings.Email smtps =
        new NotificationSettings.Email(
            "m",
            "smtp.example.com",
            465,
            NotificationSettings.Security.SMTPS,
            Optional.empty(),
            Optional.empty(),
            "a@example.com",
            List.of(),
            Optional.empty());

    assertThat(EmailChannel.properties(starttls, Duration.ofSeconds(7)))
        .containsEntry("mail.smtp.starttls.enable", "true")
        .containsEntry("mail.smtp.starttls.required", "true")
        .containsEntry("mail.smtp.auth", "true")
        .containsEntry("mail.smtp.timeout", "7000")
        .containsEntry("mail.smtp.ssl.checkserveridentity", "true");
    assertThat(EmailChannel.protocol(smtps)).isEqualTo("smtps");
    assertThat(EmailChannel.properties(smtps, Duration.ofSeconds(7)))
        .containsEntry("mail.smtps.ssl.enable", "true")
        .containsEntry("mail.smtps.port", "465")
        .containsEntry("mail.smtps.auth", "false");
  }

  /**
   * Sends the run's success to the channel, waits for it, and returns the one message GreenMail
   * got.
   */
  private MimeMessage deliver(Manifest manifest, String cap, Map<String, Part> attachments)
      throws Exception {
    Path password = Files.writeString(dir.resolve("smtp.password"), "smtp-s3cret\n");
    Site site =
        NotifyFixtures.site(
            dir,
            "channels.mail { type = email, host = \"127.0.0.1\", port = "
                + SMTP.getSmtp().getPort()
                + ", security = none, user = lakeport, password-file = \""
                + password
                + "\", from = \"lakeport@example.com\", to = [\"ops@example.com\"] }\n"
                + "subscriptions.mail { level = info, to = [\"partner@example.com\", \"ops@example.com\"] }\n"
                + "email.attach-max-size = "
                + cap
                + "\ndelivery { attempts = 2, delay = 20ms, timeout = 10s }",
            NotifyFixtures.s3("http://127.0.0.1:9", "AKIDTEST", "s"));
    try (HistoryStore store = NotifyFixtures.history(site, JOB, RUN);
        Notifier notifier = Notifier.start(site, DeliveryLog.of(store), Clock.systemUTC())) {
      notifier.publish(
          Event.succeeded(
              manifest,
              Optional.of(manifest.sink().path() + "/_lakeport/m.json"),
              1,
              Instant.now()));
      assertThat(notifier.awaitDeliveries(WAIT)).isTrue();
      assertThat(store.deliveries().notifications(RUN))
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.delivery())
                    .as(n.error().orElse(""))
                    .isEqualTo(Notification.Delivery.SENT);
                assertThat(n.channel()).isEqualTo("email");
                assertThat(n.target())
                    .isEqualTo(
                        "run-succeeded to mail smtp://127.0.0.1:" + SMTP.getSmtp().getPort());
              });
    }
    assertThat(SMTP.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
    MimeMessage[] received = SMTP.getReceivedMessages();
    // one message, delivered to two mailboxes
    assertThat(received).hasSize(2);
    collect(received[0], attachments);
    return received[0];
  }

  private static void collect(Part part, Map<String, Part> attachments) throws Exception {
    if (part.getContent() instanceof MimeMultipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        collect(multipart.getBodyPart(i), attachments);
      }
    } else if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
      attachments.put(part.getFileName(), part);
    }
  }

  private static String body(Part part, String type) throws Exception {
    List<String> found = new ArrayList<>();
    find(part, type, found);
    assertThat(found).as(type).hasSize(1);
    return found.get(0).replace("\r\n", "\n");
  }

  private static void find(Part part, String type, List<String> found) throws Exception {
    if (part.getContent() instanceof MimeMultipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        find(multipart.getBodyPart(i), type, found);
      }
    } else if (part.isMimeType(type) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
      found.add((String) part.getContent());
    }
  }

  private static byte[] bytes(Part part) throws Exception {
    try (InputStream in = part.getInputStream()) {
      return in.readAllBytes();
    }
  }
}
