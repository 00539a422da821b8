package io.lakeport.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.lakeport.config.Site;
import io.lakeport.history.HistoryStore;
import io.lakeport.history.Notification;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Email over TLS to a real SMTP server on 127.0.0.1 (GreenMail): SMTPS with a login, the server's
 * self-signed certificate trusted through the channel's {@code trusted-certificates} (the host name
 * still checked), read back; the same server refused without it; and a plain server that offers no
 * STARTTLS refused by a {@code security = starttls} channel, since STARTTLS is required. (GreenMail
 * 2.1 has no STARTTLS command, so no message can be delivered over STARTTLS here.)
 */
class EmailTlsNotificationTest {
  private static final String JOB = "orders-daily";
  private static final String RUN = "20261124T020000000Z-abc123";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path TLS = Certificates.loopback();

  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(
              new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort(),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()
              })
          .withConfiguration(
              GreenMailConfiguration.aConfig()
                  .withUser("lakeport@example.com", "lakeport", "smtp-s3cret"));

  @TempDir Path dir;

  @AfterAll
  static void removeCertificates() throws IOException {
    try (var files = Files.walk(TLS)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  @Test
  void smtpsDeliversWithTheServersCertificateTrustedByTheChannel() throws Exception {
    List<Notification> tries =
        deliver(
            "smtps",
            SMTP.getSmtps().getPort(),
            ", trusted-certificates = \"" + TLS.resolve("server.pem") + "\"");

    assertThat(tries)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.delivery())
                  .as(n.error().orElse(""))
                  .isEqualTo(Notification.Delivery.SENT);
              assertThat(n.target())
                  .isEqualTo("run-failed to mail smtp://127.0.0.1:" + SMTP.getSmtps().getPort());
            });
    assertThat(SMTP.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
    MimeMessage[] received = SMTP.getReceivedMessages();
    assertThat(received).hasSize(1);
    assertThat(received[0].getSubject())
        .isEqualTo("[lakeport] orders-daily: run failed (2026-11-23)");
    assertThat(received[0].getAllRecipients())
        .containsExactly(new InternetAddress("ops@example.com"));
    assertThat(received[0].getHeader("X-Lakeport-Run")).containsExactly(RUN);
  }

  @Test
  void smtpsRefusesACertificateNobodyTrusts() throws Exception {
    List<Notification> tries = deliver("smtps", SMTP.getSmtps().getPort(), "");

    assertThat(tries)
        .extracting(Notification::delivery)
        .containsExactly(Notification.Delivery.FAILED, Notification.Delivery.FAILED);
    assertThat(tries.get(0).error().orElseThrow())
        .as("why, not just that it failed")
        .startsWith("Could not connect to SMTP host: 127.0.0.1")
        .contains("unable to find valid certification path");
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void starttlsIsRequiredSoAServerWithoutItGetsNothing() throws Exception {
    List<Notification> tries =
        deliver(
            "starttls",
            SMTP.getSmtp().getPort(),
            ", trusted-certificates = \"" + TLS.resolve("server.pem") + "\"");

    assertThat(tries)
        .extracting(Notification::delivery)
        .containsExactly(Notification.Delivery.FAILED, Notification.Delivery.FAILED);
    assertThat(tries.get(0).error().orElseThrow())
        .contains("STARTTLS is required but host does not support STARTTLS");
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  /**
   * Sends a run-failed event through an email channel with {@code security} and returns every try
   * recorded.
   */
  private List<Notification> deliver(String security, int port, String more) throws Exception {
    Path password = Files.writeString(dir.resolve("smtp.password"), "smtp-s3cret\n");
    Site site =
        NotifyFixtures.site(
            dir,
            "channels.mail { type = email, host = \"127.0.0.1\", port = "
                + port
                + ", security = "
                + security
                + ", user = lakeport, password-file = \""
                + password
                + "\", from = \"lakeport@example.com\", to = [\"ops@example.com\"]"
                + more
                + " }\n"
                + "subscriptions.mail { level = error }\ndelivery { attempts = 2, delay = 20ms, timeout = 10s }");
    try (HistoryStore store = NotifyFixtures.history(site, JOB, RUN);
        Notifier notifier = Notifier.start(site, DeliveryLog.of(store), Clock.systemUTC())) {
      notifier.publish(
          Event.failed(
              JOB,
              RUN,
              Optional.of("2026-11-23"),
              1,
              Optional.of(Duration.ofSeconds(3)),
              "Cannot read s3a://in/orders: Access Denied",
              Instant.now()));
      assertThat(notifier.awaitDeliveries(WAIT)).isTrue();
      return store.deliveries().notifications(RUN);
    }
  }

  /**
   * A key pair and self-signed certificate for 127.0.0.1 (subject alternative name IP:127.0.0.1),
   * made with the JDK's keytool: {@code server.p12} for GreenMail, {@code server.pem} for the
   * channel. GreenMail reads its keystore from system properties once per JVM, when its first TLS
   * server starts: no other test here starts one, and one that did first would make the trusted
   * test fail, not pass.
   */
  private static final class Certificates {
    private static final String PASSWORD = "changeit";

    static Path loopback() {
      try {
        Path dir = Files.createTempDirectory("lakeport-smtp-tls");
        Path store = dir.resolve("server.p12");
        keytool(
            "-genkeypair",
            "-alias",
            "server",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-validity",
            "2",
            "-dname",
            "CN=127.0.0.1",
            "-ext",
            "san=ip:127.0.0.1",
            "-storetype",
            "PKCS12",
            "-keystore",
            store.toString(),
            "-storepass",
            PASSWORD,
            "-keypass",
            PASSWORD);
        keytool(
            "-exportcert",
            "-rfc",
            "-alias",
            "server",
            "-keystore",
            store.toString(),
            "-storepass",
            PASSWORD,
            "-file",
            dir.resolve("server.pem").toString());
        System.setProperty("greenmail.tls.keystore.file", store.toString());
        System.setProperty("greenmail.tls.keystore.password", PASSWORD);
        System.setProperty("greenmail.tls.key.password", PASSWORD);
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void keytool(String... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (process.waitFor() != 0) {
          throw new IOException("keytool " + args[0] + " failed: " + output);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
