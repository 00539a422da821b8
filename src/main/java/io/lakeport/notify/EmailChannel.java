package io.lakeport.notify;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.NotificationSettings.Email;
import io.lakeport.config.Secret;
import io.lakeport.manifest.OutputFile;
import io.lakeport.notify.DownloadLinks.Link;
import jakarta.activation.DataHandler;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Email over SMTP (Jakarta Mail, Eclipse Angus): STARTTLS (required), SMTPS or a plain relay, with
 * a login when the channel names a user. The subject comes from {@code
 * lakeport.notifications.email.subject}, the body from the text and HTML templates beside this
 * class. An export whose files together fit under the attachment cap is attached; a larger one is
 * linked (presigned links on S3, else its locations). A channel with {@code trusted-certificates}
 * trusts the certificates in that file instead of the JVM's CAs.
 */
final class EmailChannel implements Channel {
  private final Email spec;
  private final String subjectTemplate;
  private final long attachMaxBytes;
  private final ExportStorage storage;

  EmailChannel(Email spec, String subjectTemplate, long attachMaxBytes, ExportStorage storage) {
    this.spec = requireNonNull(spec, "spec is null");
    this.subjectTemplate = requireNonNull(subjectTemplate, "subjectTemplate is null");
    this.attachMaxBytes = attachMaxBytes;
    this.storage = requireNonNull(storage, "storage is null");
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public String type() {
    return spec.type();
  }

  @Override
  public String target() {
    return spec.name() + " smtp://" + spec.host() + ":" + spec.port();
  }

  /** The recipients of a message: the subscription's, else the channel's. */
  List<String> recipients(List<String> subscription) {
    return spec.recipients(subscription);
  }

  @Override
  public void send(Message message, Duration timeout) throws Exception {
    Properties properties = properties(spec, timeout);
    String protocol = protocol(spec);
    if (spec.trustedCertificates().isPresent()) {
      properties.put(
          "mail." + protocol + ".ssl.socketFactory", trusting(spec.trustedCertificates().get()));
    }
    Session session = Session.getInstance(properties);
    MimeMessage mail = compose(session, message);
    try (Transport transport = session.getTransport(protocol)) {
      transport.connect(
          spec.host(),
          spec.port(),
          spec.user().orElse(null),
          spec.password().map(Secret::reveal).orElse(null));
      transport.sendMessage(mail, mail.getAllRecipients());
    } catch (MessagingException e) {
      throw new MessagingException(withCause(e), e);
    }
  }

  /**
   * Jakarta Mail's message and, when it hides why (a refused certificate, a connection reset), the
   * root cause's: "Could not connect to SMTP host" alone does not tell what to fix.
   */
  private static String withCause(MessagingException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return root == e || root.getMessage() == null ? message : message + ": " + root.getMessage();
  }

  MimeMessage compose(Session session, Message message) throws MessagingException, IOException {
    Event event = message.event();
    MimeMessage mail = new MimeMessage(session);
    mail.setFrom(new InternetAddress(spec.from()));
    for (String to : recipients(message.recipients())) {
      mail.addRecipient(RecipientType.TO, new InternetAddress(to));
    }
    mail.setSubject(subject(event), StandardCharsets.UTF_8.name());
    mail.setHeader("X-Lakeport-Event", event.type().text());
    mail.setHeader("X-Lakeport-Run", event.runId());

    List<OutputFile> attached = attachable(event);
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(
        part(body("email.txt", event, message.links(), attached, false), "text/plain"));
    alternative.addBodyPart(
        part(body("email.html", event, message.links(), attached, true), "text/html"));
    MimeBodyPart bodies = new MimeBodyPart();
    bodies.setContent(alternative);
    MimeMultipart mixed = new MimeMultipart("mixed");
    mixed.addBodyPart(bodies);
    for (OutputFile file : attached) {
      String location = event.output().orElseThrow().location(file);
      MimeBodyPart attachment = new MimeBodyPart();
      attachment.setDataHandler(
          new DataHandler(
              new ByteArrayDataSource(storage.read(location), "application/octet-stream")));
      attachment.setFileName(file.path().replace('/', '_'));
      // base64 keeps the bytes exact: a text-looking file sent 7bit would get CRLF line ends, and
      // its SHA-256 would differ
      attachment.setHeader("Content-Transfer-Encoding", "base64");
      mixed.addBodyPart(attachment);
    }
    mail.setContent(mixed);
    mail.saveChanges();
    return mail;
  }

  String subject(Event event) {
    return subjectTemplate
        .replace("{job}", event.job())
        .replace("{event}", event.type().text().replace('-', ' '))
        .replace("{status}", event.status())
        .replace("{run_id}", event.runId())
        .replace("{logical_date}", event.logicalDate().orElse("no date"));
  }

  /** The export's files when they are all there and fit under the cap together; else none. */
  private List<OutputFile> attachable(Event event) {
    Optional<Event.Output> output = event.output();
    if (output.isEmpty() || output.get().fileList().isEmpty() || attachMaxBytes <= 0) {
      return List.of();
    }
    long total = output.get().fileList().stream().mapToLong(OutputFile::bytes).sum();
    return total <= attachMaxBytes ? output.get().fileList() : List.of();
  }

  private static MimeBodyPart part(String text, String type) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setContent(text, type + "; charset=UTF-8");
    return part;
  }

  private static String body(
      String template,
      Event event,
      Map<String, Link> links,
      List<OutputFile> attached,
      boolean html) {
    StringBuilder facts = new StringBuilder();
    Facts.of(event)
        .forEach(
            (name, value) ->
                facts.append(
                    html
                        ? "<tr><th style=\"text-align: left; padding: 2px 12px 2px 0;\">"
                            + escape(name)
                            + "</th><td>"
                            + escape(value)
                            + "</td></tr>\n"
                        : String.format("%-14s%s%n", name + ":", value)));
    return read(template)
        .replace("{title}", html ? escape(Facts.title(event)) : Facts.title(event))
        .replace("{facts}", facts.toString().stripTrailing())
        .replace("{files}", files(event, links, attached, html))
        .replace("{run_id}", event.runId());
  }

  /** Which files are attached, or where to get them. */
  private static String files(
      Event event, Map<String, Link> links, List<OutputFile> attached, boolean html) {
    Optional<Event.Output> output = event.output().filter(o -> !o.fileList().isEmpty());
    if (output.isEmpty()) {
      return "";
    }
    List<String> lines = new ArrayList<>();
    for (OutputFile file : output.get().fileList()) {
      String location = output.get().location(file);
      Link link = links.get(location);
      if (!attached.isEmpty()) {
        lines.add(html ? escape(file.path()) : file.path());
      } else if (link != null) {
        lines.add(
            html
                ? "<a href=\""
                    + escape(link.url().toString())
                    + "\">"
                    + escape(file.path())
                    + "</a>"
                : file.path() + "\n  " + link.url());
      } else {
        lines.add(html ? escape(location) : location);
      }
    }
    String heading =
        !attached.isEmpty()
            ? "Attached files"
            : links.isEmpty()
                ? "Files"
                : "Download links (valid until "
                    + links.values().stream()
                        .map(Link::expiresAt)
                        .min(Instant::compareTo)
                        .orElseThrow()
                    + ")";
    return html
        ? "<h3>"
            + heading
            + "</h3>\n<ul>\n<li>"
            + String.join("</li>\n<li>", lines)
            + "</li>\n</ul>\n"
        : "\n" + heading + ":\n" + String.join("\n", lines) + "\n";
  }

  private static String read(String template) {
    try (InputStream in = EmailChannel.class.getResourceAsStream(template)) {
      return new String(
          requireNonNull(in, template + " is in the jar").readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /**
   * TLS sockets that accept a server certificate chaining to one of the certificates in {@code
   * file} (PEM), and no other: for an SMTP server with a private CA or a self-signed certificate.
   * The server's name is still checked against its certificate ({@code ssl.checkserveridentity}).
   */
  private SSLSocketFactory trusting(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new CertificateException("it holds no certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("trusted-" + n++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IOException(
          "Cannot read the trusted certificates "
              + file
              + " of email channel "
              + spec.name()
              + ": "
              + WebhookChannel.reason(e)
              + ". Set trusted-certificates of the channel to a PEM file of certificates.",
          e);
    }
  }

  static String protocol(Email spec) {
    return switch (spec.security()) {
      case SMTPS -> "smtps";
      case STARTTLS, NONE -> "smtp";
    };
  }

  /**
   * Jakarta Mail's settings for the channel: TLS as its security says, login when it has a user,
   * timeouts.
   */
  static Properties properties(Email spec, Duration timeout) {
    String p = "mail." + protocol(spec) + ".";
    Properties properties = new Properties();
    properties.put(p + "host", spec.host());
    properties.put(p + "port", String.valueOf(spec.port()));
    properties.put(p + "auth", String.valueOf(spec.user().isPresent()));
    properties.put(p + "connectiontimeout", String.valueOf(timeout.toMillis()));
    properties.put(p + "timeout", String.valueOf(timeout.toMillis()));
    properties.put(p + "writetimeout", String.valueOf(timeout.toMillis()));
    switch (spec.security()) {
      case STARTTLS -> {
        properties.put(p + "starttls.enable", "true");
        properties.put(p + "starttls.required", "true");
        properties.put(p + "ssl.checkserveridentity", "true");
      }
      case SMTPS -> {
        properties.put(p + "ssl.enable", "true");
        properties.put(p + "ssl.checkserveridentity", "true");
      }
      case NONE -> {}
    }
    return properties;
  }
}
