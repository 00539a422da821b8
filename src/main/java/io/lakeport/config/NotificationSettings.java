package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code lakeport.notifications} of the site settings: the channels, defined once by name (a
 * webhook, a Slack incoming webhook, an SMTP server), the subscriptions every job has and the level
 * of a subscription that names none, how deliveries are retried, how long download links stay
 * valid, and the email subject and attachment cap. Holds no secret: URLs with tokens, passwords and
 * HMAC keys are {@link Secret}s, read from the environment or a file when a notification is sent.
 */
public record NotificationSettings(
    Map<String, Channel> channels,
    NotificationSpec subscriptions,
    EventType.Level defaultLevel,
    Delivery delivery,
    Duration linkExpiry,
    String emailSubject,
    long attachMaxBytes) {

  public NotificationSettings {
    channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    requireNonNull(subscriptions, "subscriptions is null");
    requireNonNull(defaultLevel, "defaultLevel is null");
    requireNonNull(delivery, "delivery is null");
    requireNonNull(linkExpiry, "linkExpiry is null");
    requireNonNull(emailSubject, "emailSubject is null");
  }

  /**
   * Who is emailed about {@code event} for a job with its own subscriptions {@code job}: the
   * recipients of every email channel subscribed to it, at the job's level or the site's (the job's
   * subscription to a channel replacing the site's), in subscription order, each address once. The
   * addresses Lakeport's notifier mails one subscription at a time, gathered for a generated
   * Airflow DAG, which hands the run-failed ones to Airflow.
   */
  public List<String> emailRecipients(EventType event, NotificationSpec job) {
    Set<String> recipients = new LinkedHashSet<>();
    for (NotificationSpec.Subscription subscription :
        job.over(subscriptions).subscriptions().values()) {
      if (subscription.wants(event)
          && channels.get(subscription.channel()) instanceof Email email) {
        recipients.addAll(email.recipients(subscription.to()));
      }
    }
    return List.copyOf(recipients);
  }

  /**
   * How each notification is delivered: up to {@code attempts} tries, waiting {@code delay}, then
   * twice as long each time up to {@code maxDelay}; each try given {@code timeout}; a {@code
   * lakeport run} waits at most {@code waitOnExit} for deliveries before it exits.
   */
  public record Delivery(
      int attempts, Duration delay, Duration maxDelay, Duration timeout, Duration waitOnExit) {
    public Delivery {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
      }
      requireNonNull(delay, "delay is null");
      requireNonNull(maxDelay, "maxDelay is null");
      requireNonNull(timeout, "timeout is null");
      requireNonNull(waitOnExit, "waitOnExit is null");
    }

    /**
     * The wait after failed try {@code attempt} (1: the first): delay, doubled each time, at most
     * maxDelay.
     */
    public Duration backoff(int attempt) {
      long millis = delay.toMillis() << Math.min(attempt - 1, 30);
      return Duration.ofMillis(Math.min(Math.max(millis, delay.toMillis()), maxDelay.toMillis()));
    }
  }

  /** A named place notifications go. */
  public sealed interface Channel permits Webhook, Slack, Email {
    String name();

    /** The channel's kind as written in {@code type}: webhook, slack or email. */
    String type();
  }

  /**
   * A generic webhook: a POST of the JSON payload. Its URL is written in the file ({@code url},
   * when it holds no secret) or read from the environment or a file; with an HMAC secret, the
   * payload is signed (header {@code X-Lakeport-Signature: sha256=<hex>}).
   */
  public record Webhook(
      String name, Optional<URI> url, Optional<Secret> urlSecret, Optional<Secret> hmacSecret)
      implements Channel {
    public Webhook {
      requireNonNull(name, "name is null");
      requireNonNull(url, "url is null");
      requireNonNull(urlSecret, "urlSecret is null");
      requireNonNull(hmacSecret, "hmacSecret is null");
      if (url.isPresent() == urlSecret.isPresent()) {
        throw new IllegalArgumentException(
            "a webhook has its url in the file or from a secret, one of them");
      }
    }

    @Override
    public String type() {
      return "webhook";
    }
  }

  /** A Slack incoming webhook; its URL holds its token, so it is always a {@link Secret}. */
  public record Slack(String name, Secret url) implements Channel {
    public Slack {
      requireNonNull(name, "name is null");
      requireNonNull(url, "url is null");
    }

    @Override
    public String type() {
      return "slack";
    }
  }

  /**
   * An SMTP server, how the connection is secured, who logs in, the sender and default recipients,
   * and the certificates its TLS certificate must chain to (a PEM file; empty: the JVM's trusted
   * CAs).
   */
  public record Email(
      String name,
      String host,
      int port,
      Security security,
      Optional<String> user,
      Optional<Secret> password,
      String from,
      List<String> to,
      Optional<Path> trustedCertificates)
      implements Channel {
    public Email {
      requireNonNull(name, "name is null");
      requireNonNull(host, "host is null");
      requireNonNull(security, "security is null");
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
      requireNonNull(from, "from is null");
      to = List.copyOf(to);
      requireNonNull(trustedCertificates, "trustedCertificates is null");
    }

    @Override
    public String type() {
      return "email";
    }

    /**
     * The recipients of a message: the subscription's ({@code to} of a subscription), else the
     * channel's.
     */
    public List<String> recipients(List<String> subscription) {
      return subscription.isEmpty() ? to : List.copyOf(subscription);
    }
  }

  /**
   * How the SMTP connection is secured: STARTTLS (plain connect, then TLS before anything is sent;
   * required, not optional), SMTPS (TLS from the start) or none (a relay on a trusted network).
   */
  public enum Security {
    STARTTLS,
    SMTPS,
    NONE
  }
}
