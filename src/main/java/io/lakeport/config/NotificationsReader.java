package io.lakeport.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.lakeport.config.NotificationSettings.Channel;
import io.lakeport.config.NotificationSettings.Delivery;
import io.lakeport.config.NotificationSettings.Email;
import io.lakeport.config.NotificationSettings.Security;
import io.lakeport.config.NotificationSettings.Slack;
import io.lakeport.config.NotificationSettings.Webhook;
import io.lakeport.config.NotificationSpec.Subscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code lakeport.notifications} from the site settings and a job's {@code notifications}
 * block. Secrets (Slack URLs, webhook URLs with tokens, SMTP passwords, HMAC keys) are refused in
 * the file: they come from {@code *-env} (an environment variable) or {@code *-file}.
 */
final class NotificationsReader {
  static final String CHANNELS = "channels";
  static final String SUBSCRIPTIONS = "subscriptions";
  static final String SUBSCRIPTION_DEFAULTS = "subscription-defaults";
  static final String DELIVERY = "delivery";
  static final String LINKS = "links";
  static final String EMAIL = "email";
  static final String[] KEYS = {
    CHANNELS, SUBSCRIPTIONS, SUBSCRIPTION_DEFAULTS, DELIVERY, LINKS, EMAIL
  };
  static final String TYPE = "type";
  static final String URL = "url";
  static final String URL_ENV = "url-env";
  static final String URL_FILE = "url-file";
  static final String HMAC_SECRET = "hmac-secret";
  static final String HMAC_SECRET_ENV = "hmac-secret-env";
  static final String HMAC_SECRET_FILE = "hmac-secret-file";
  static final String HOST = "host";
  static final String PORT = "port";
  static final String SECURITY = "security";
  static final String USER = "user";
  static final String PASSWORD = "password";
  static final String PASSWORD_ENV = "password-env";
  static final String PASSWORD_FILE = "password-file";
  static final String FROM = "from";
  static final String TO = "to";
  static final String TRUSTED_CERTIFICATES = "trusted-certificates";
  static final String LEVEL = "level";
  static final String EVENTS = "events";
  static final String ATTEMPTS = "attempts";
  static final String DELAY = "delay";
  static final String MAX_DELAY = "max-delay";
  static final String TIMEOUT = "timeout";
  static final String WAIT_ON_EXIT = "wait-on-exit";
  static final String EXPIRY = "expiry";
  static final String SUBJECT = "subject";
  static final String ATTACH_MAX_SIZE = "attach-max-size";

  /** Presigned S3 links are valid for at most a week (SigV4). */
  static final Duration MAX_EXPIRY = Duration.ofDays(7);

  private static final String[] WEBHOOK_KEYS = {
    TYPE, URL, URL_ENV, URL_FILE, HMAC_SECRET_ENV, HMAC_SECRET_FILE
  };
  private static final String[] SLACK_KEYS = {TYPE, URL_ENV, URL_FILE};
  private static final String[] EMAIL_KEYS = {
    TYPE, HOST, PORT, SECURITY, USER, PASSWORD_ENV, PASSWORD_FILE, FROM, TO, TRUSTED_CERTIFICATES
  };
  private static final String[] SUBSCRIPTION_KEYS = {LEVEL, EVENTS, TO};
  private static final List<String> TYPES = List.of("webhook", "slack", "email");

  /**
   * A query parameter or user info that holds a credential: token=, key=, sig=, secret=, password=.
   */
  private static final Pattern SECRET_IN_URL =
      Pattern.compile(
          "(?i)([?&][^=&]*(token|key|sig|signature|secret|password|pwd|auth)[^=&]*=)|(://[^/@]*:[^/@]*@)");

  /** Stands for a URL that could not be read, so reading goes on to the next problem. */
  private static final URI PLACEHOLDER = URI.create("http://invalid");

  private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+");

  private NotificationsReader() {}

  /** Reads {@code key} (the {@code notifications} block) of the {@code lakeport} section. */
  static NotificationSettings site(Section site, String key) {
    Section notifications = site.section(key, KEYS);
    Map<String, Channel> channels = channels(notifications.section(CHANNELS));
    EventType.Level defaultLevel =
        notifications
            .section(SUBSCRIPTION_DEFAULTS, LEVEL)
            .enumValue(LEVEL, EventType.Level.class, EventType.Level.WARNING);
    NotificationSpec subscriptions =
        subscriptions(notifications.section(SUBSCRIPTIONS), channels, defaultLevel);
    Section links = notifications.section(LINKS, EXPIRY);
    Duration expiry = positive(links, EXPIRY, Duration.ofHours(1));
    if (expiry.compareTo(MAX_EXPIRY) > 0) {
      links.problem(
          EXPIRY,
          "presigned links are valid for at most 7 days",
          "Use e.g. expiry = 1h, or at most 7d.");
    }
    Section email = notifications.section(EMAIL, SUBJECT, ATTACH_MAX_SIZE);
    long attachMax =
        email
            .optionalBytes(ATTACH_MAX_SIZE)
            .orElseGet(
                () -> {
                  email.problem(
                      ATTACH_MAX_SIZE,
                      "missing required setting",
                      "Add attach-max-size = <size, e.g. 5MB; 0 attaches nothing>.");
                  return 0L;
                });
    return new NotificationSettings(
        channels,
        subscriptions,
        defaultLevel,
        delivery(
            notifications.section(DELIVERY, ATTEMPTS, DELAY, MAX_DELAY, TIMEOUT, WAIT_ON_EXIT)),
        expiry,
        email.string(SUBJECT),
        Math.max(0, attachMax));
  }

  /** Reads a job's {@code notifications} block: subscriptions to channels the site defines. */
  static NotificationSpec job(Section notifications, NotificationSettings site) {
    return subscriptions(notifications, site.channels(), site.defaultLevel());
  }

  private static Map<String, Channel> channels(Section channels) {
    Map<String, Channel> result = new LinkedHashMap<>();
    for (String name : channels.entries("").keySet()) {
      if (channels.value(name).valueType() != ConfigValueType.OBJECT) {
        channels.problem(
            name,
            "expected an object { type = webhook|slack|email, ... }, found "
                + channels.value(name).valueType().name().toLowerCase(Locale.ROOT),
            "");
        continue;
      }
      Section probe = new Section(channels.root(), channels.full(name), channels.problems());
      String type = probe.string(TYPE);
      switch (type) {
        case "webhook" ->
            result.put(name, webhook(name, refusing(probe, HMAC_SECRET, WEBHOOK_KEYS)));
        case "slack" ->
            result.put(name, slack(name, refusing(probe, URL, SLACK_KEYS), probe.has(URL)));
        case "email" -> result.put(name, email(name, refusing(probe, PASSWORD, EMAIL_KEYS)));
        case "" -> {}
        default ->
            probe.problem(
                TYPE,
                "unknown value \"" + type + "\"",
                Problems.suggestion(type, TYPES)
                    + "Expected one of: "
                    + String.join(", ", TYPES)
                    + ".");
      }
    }
    return result;
  }

  /**
   * The channel's section, after reporting {@code secretKey} (a secret written in the file) as what
   * it is.
   */
  private static Section refusing(Section probe, String secretKey, String... validKeys) {
    Config kept = probe.root();
    if (probe.has(secretKey)) {
      boolean slackUrl = secretKey.equals(URL);
      probe.problem(
          secretKey,
          slackUrl
              ? "a Slack webhook URL holds its token and must not be written in a config file"
              : "a secret must not be written in a config file",
          "Use "
              + secretKey
              + "-env = <environment variable> or "
              + secretKey
              + "-file = <file holding it>.");
      kept = kept.withoutPath(probe.full(secretKey));
    }
    return new Section(kept, probe.path(), probe.problems(), validKeys);
  }

  private static Webhook webhook(String name, Section channel) {
    Optional<URI> url = channel.optionalString(URL).flatMap(text -> url(channel, URL, text));
    url.filter(uri -> SECRET_IN_URL.matcher(uri.toString()).find())
        .ifPresent(
            uri ->
                channel.problem(
                    URL,
                    "this URL holds a credential ("
                        + Secrets.maskUrl(uri.toString())
                        + ") and must not be written in a config file",
                    "Use url-env = <environment variable> or url-file = <file holding the URL>."));
    Optional<Secret> secretUrl = secret(channel, URL_ENV, URL_FILE);
    if (channel.has(URL) && secretUrl.isPresent()) {
      channel.problem(
          URL, "the URL comes from two places", "Keep one of url, url-env and url-file.");
    } else if (!channel.has(URL) && secretUrl.isEmpty()) {
      channel.problem(
          URL,
          "missing required setting",
          "Add url = \"https://...\", url-env = <variable> or url-file = <file>.");
    }
    Optional<Secret> hmac = secret(channel, HMAC_SECRET_ENV, HMAC_SECRET_FILE);
    return secretUrl.isPresent() && !channel.has(URL)
        ? new Webhook(name, Optional.empty(), secretUrl, hmac)
        : new Webhook(name, Optional.of(url.orElse(PLACEHOLDER)), Optional.empty(), hmac);
  }

  private static Slack slack(String name, Section channel, boolean urlRefused) {
    Optional<Secret> url = secret(channel, URL_ENV, URL_FILE);
    if (url.isEmpty() && !urlRefused) {
      channel.problem(
          URL_ENV,
          "missing required setting",
          "Add url-env = <environment variable> or url-file = <file> holding the Slack incoming webhook URL.");
    }
    return new Slack(name, url.orElse(Secret.environment("")));
  }

  private static Email email(String name, Section channel) {
    String host = channel.string(HOST);
    int port =
        channel
            .optionalLong(PORT)
            .filter(p -> p > 0 && p < 65536)
            .map(Long::intValue)
            .orElseGet(
                () -> {
                  channel.problem(
                      PORT,
                      channel.has(PORT)
                          ? "expected a port from 1 to 65535, found \""
                              + channel.optionalString(PORT).orElse("")
                              + "\""
                          : "missing required setting",
                      "Use e.g. port = 587 (starttls), 465 (smtps) or 25 (none).");
                  return 25;
                });
    Security security = channel.enumValue(SECURITY, Security.class, Security.STARTTLS);
    Optional<Secret> password = secret(channel, PASSWORD_ENV, PASSWORD_FILE);
    Optional<String> user = channel.optionalString(USER);
    if (password.isPresent() && user.isEmpty()) {
      channel.problem(
          USER,
          "a password needs the user it logs in",
          "Add user = <SMTP user>, or remove the password.");
    }
    String from = channel.string(FROM);
    if (!from.isEmpty()) {
      address(channel, FROM, from);
    }
    Optional<Path> trusted = channel.optionalString(TRUSTED_CERTIFICATES).map(Path::of);
    if (trusted.isPresent() && security == Security.NONE) {
      channel.problem(
          TRUSTED_CERTIFICATES,
          "certificates are checked on TLS connections only, and this channel has"
              + " security = none",
          "Use security = starttls or smtps, or remove trusted-certificates.");
    }
    return new Email(name, host, port, security, user, password, from, addresses(channel), trusted);
  }

  /** A secret from {@code envKey} or {@code fileKey}: at most one of them. */
  private static Optional<Secret> secret(Section section, String envKey, String fileKey) {
    Optional<String> env = section.optionalString(envKey);
    Optional<String> file = section.optionalString(fileKey);
    if (env.isPresent() && file.isPresent()) {
      section.problem(
          fileKey,
          "the secret comes from two places",
          "Keep one of " + envKey + " and " + fileKey + ".");
    }
    return env.map(Secret::environment).or(() -> file.map(Secret::file));
  }

  private static NotificationSpec subscriptions(
      Section section, Map<String, Channel> channels, EventType.Level defaultLevel) {
    Map<String, Subscription> result = new LinkedHashMap<>();
    for (String name : section.entries("").keySet()) {
      if (section.value(name).valueType() != ConfigValueType.OBJECT) {
        section.problem(
            name,
            "expected an object { level = ..., events = [...], to = [...] }, found "
                + section.value(name).valueType().name().toLowerCase(Locale.ROOT),
            "Write " + name + " {} for the defaults.");
        continue;
      }
      Section subscription =
          new Section(section.root(), section.full(name), section.problems(), SUBSCRIPTION_KEYS);
      Channel channel = channels.get(name);
      if (channel == null) {
        section.problem(
            name,
            "no channel \"" + name + "\" is defined",
            Problems.suggestion(name, channels.keySet())
                + "Define it in lakeport.notifications.channels of the site settings (defined: "
                + (channels.isEmpty() ? "none" : String.join(", ", channels.keySet()))
                + ").");
      }
      Optional<EventType.Level> level = subscription.optionalEnum(LEVEL, EventType.Level.class);
      Set<EventType> events = EnumSet.noneOf(EventType.class);
      subscription
          .stringList(EVENTS)
          .forEach(
              text -> subscription.parseEnum(EVENTS, text, EventType.class).ifPresent(events::add));
      if (level.isPresent() && subscription.has(EVENTS)) {
        subscription.problem(
            EVENTS,
            "a subscription chooses its events by level or by list, not both",
            "Keep one of level and events.");
      }
      List<String> to = addresses(subscription);
      if (channel != null && !to.isEmpty() && !(channel instanceof Email)) {
        subscription.problem(
            TO,
            "recipients apply to email channels only, and " + name + " is a " + channel.type(),
            "Remove to.");
      }
      if (channel instanceof Email email && to.isEmpty() && email.to().isEmpty()) {
        subscription.problem(
            TO,
            "nobody would get this email: neither the subscription nor the channel names recipients",
            "Add to = [\"someone@example.com\"].");
      }
      result.put(name, new Subscription(name, level.orElse(defaultLevel), events, to));
    }
    return new NotificationSpec(result);
  }

  private static List<String> addresses(Section section) {
    List<String> result = new ArrayList<>();
    for (String address : section.stringList(TO)) {
      if (address(section, TO, address)) {
        result.add(address);
      }
    }
    return result;
  }

  private static boolean address(Section section, String key, String address) {
    if (ADDRESS.matcher(address).matches()) {
      return true;
    }
    section.problem(
        key, "not an email address: \"" + address + "\"", "Write e.g. \"data-team@example.com\".");
    return false;
  }

  private static Optional<URI> url(Section section, String key, String text) {
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    section.problem(
        key,
        "expected an http:// or https:// URL, found \"" + Secrets.maskUrl(text) + "\"",
        "Write e.g. url = \"https://hooks.example.com/lakeport\".");
    return Optional.empty();
  }

  private static Delivery delivery(Section delivery) {
    Optional<Long> attempts = delivery.optionalLong(ATTEMPTS);
    if (attempts.isEmpty() || attempts.get() < 1 || attempts.get() > 100) {
      delivery.problem(
          ATTEMPTS,
          "expected a whole number from 1 to 100, found \""
              + delivery.optionalString(ATTEMPTS).orElse("")
              + "\"",
          "Use e.g. attempts = 4 (1: no retry).");
    }
    return new Delivery(
        attempts.filter(a -> a >= 1 && a <= 100).orElse(1L).intValue(),
        positive(delivery, DELAY, Duration.ofSeconds(1)),
        positive(delivery, MAX_DELAY, Duration.ofSeconds(1)),
        positive(delivery, TIMEOUT, Duration.ofSeconds(10)),
        nonNegative(delivery, WAIT_ON_EXIT));
  }

  private static Duration positive(Section section, String key, Duration placeholder) {
    Optional<Duration> duration = section.optionalDuration(key);
    if (duration.isEmpty() || duration.get().isNegative() || duration.get().isZero()) {
      section.problem(
          key,
          "expected a duration longer than zero, found \""
              + section.optionalString(key).orElse("")
              + "\"",
          "Use e.g. " + key + " = 30s.");
    }
    return duration.filter(d -> !d.isNegative() && !d.isZero()).orElse(placeholder);
  }

  private static Duration nonNegative(Section section, String key) {
    Optional<Duration> duration = section.optionalDuration(key);
    if (duration.isEmpty() || duration.get().isNegative()) {
      section.problem(
          key,
          "expected a duration of zero or more, found \""
              + section.optionalString(key).orElse("")
              + "\"",
          "Use e.g. " + key + " = 2m (0: do not wait).");
    }
    return duration.filter(d -> !d.isNegative()).orElse(Duration.ZERO);
  }
}
