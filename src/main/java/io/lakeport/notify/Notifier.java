package io.lakeport.notify;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.EventType;
import io.lakeport.config.NotificationSettings;
import io.lakeport.config.NotificationSpec;
import io.lakeport.config.NotificationSpec.Subscription;
import io.lakeport.config.Secrets;
import io.lakeport.config.Site;
import io.lakeport.history.Notification;
import io.lakeport.notify.DownloadLinks.Link;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to the channels subscribed to them, in the background: {@link #publish} returns at
 * once and never throws for a channel that is down. Each try is recorded in the {@link DeliveryLog}
 * (sent, or failed with why); a failed try is retried after a backoff that doubles up to {@code
 * max-delay}, at most {@code attempts} tries in all. Download links to exports on S3 are signed
 * once per event and shared by its messages. A process about to exit waits for deliveries in flight
 * with {@link #awaitDeliveries}.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  private final NotificationSettings settings;
  private final Map<String, Channel> channels;
  private final DownloadLinks links;
  private final DeliveryLog log;
  private final Clock clock;
  private final ScheduledExecutorService executor;

  /** Deliveries in flight: counted when an event is published, until its last try ends. */
  private final Object lock = new Object();

  private int inFlight;

  Notifier(
      NotificationSettings settings,
      Map<String, Channel> channels,
      DownloadLinks links,
      DeliveryLog log,
      Clock clock) {
    this.settings = requireNonNull(settings, "settings is null");
    this.channels = Map.copyOf(channels);
    this.links = requireNonNull(links, "links is null");
    this.log = requireNonNull(log, "log is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.executor = Executors.newScheduledThreadPool(2, daemons());
  }

  /** A notifier for the site's channels, recording tries in {@code log}. */
  public static Notifier start(Site site, DeliveryLog log, Clock clock) {
    NotificationSettings settings = site.notifications();
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(settings.delivery().timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    ExportStorage storage = new ExportStorage(site.sparkSettings());
    Map<String, Channel> channels = new LinkedHashMap<>();
    settings
        .channels()
        .forEach(
            (name, spec) -> {
              if (spec instanceof NotificationSettings.Webhook webhook) {
                channels.put(name, new WebhookChannel(webhook, http));
              } else if (spec instanceof NotificationSettings.Slack slack) {
                channels.put(name, new SlackChannel(slack, http));
              } else if (spec instanceof NotificationSettings.Email email) {
                channels.put(
                    name,
                    new EmailChannel(
                        email, settings.emailSubject(), settings.attachMaxBytes(), storage));
              }
            });
    return new Notifier(
        settings, channels, new DownloadLinks(site.sparkSettings(), clock), log, clock);
  }

  /** Sends the event to the site's subscriptions. */
  public void publish(Event event) {
    publish(event, NotificationSpec.none());
  }

  /**
   * Sends the event to the job's subscriptions and the site's (a job's subscription to a channel
   * replaces the site's).
   */
  public void publish(Event event, NotificationSpec job) {
    publish(event.type(), () -> Optional.of(event), job);
  }

  /**
   * Sends an event of {@code type} built in the background (reading a manifest, say), when some
   * subscription wants that type; an empty event is not sent.
   */
  void publish(EventType type, Supplier<Optional<Event>> build, NotificationSpec job) {
    List<Subscription> wanted =
        job.over(settings.subscriptions()).subscriptions().values().stream()
            .filter(s -> s.wants(type) && channels.containsKey(s.channel()))
            .toList();
    if (wanted.isEmpty()) {
      return;
    }
    begin();
    try {
      executor.execute(
          () -> {
            try {
              build.get().ifPresent(event -> deliver(event, wanted));
            } catch (RuntimeException e) {
              LOG.warn("Cannot notify about a {} event: {}", type.text(), e.toString());
            } finally {
              end();
            }
          });
    } catch (RejectedExecutionException e) {
      end();
      LOG.warn("Notifications are closed; a {} event goes unannounced", type.text());
    }
  }

  private void deliver(Event event, List<Subscription> wanted) {
    Map<String, Link> signed = links(event);
    byte[] payload = Payload.json(event, signed);
    for (Subscription subscription : wanted) {
      Channel channel = channels.get(subscription.channel());
      List<String> to =
          channel instanceof EmailChannel email ? email.recipients(subscription.to()) : List.of();
      begin();
      attempt(channel, new Message(event, payload, signed, to), 1);
    }
  }

  /**
   * Waits until every delivery published so far has been sent or has failed its last try, at most
   * {@code wait}. Returns whether they all ended.
   */
  public boolean awaitDeliveries(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (inFlight > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          LOG.warn(
              "{} notification(s) still being sent after {}; they are dropped", inFlight, wait);
          return false;
        }
        try {
          lock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  private void begin() {
    synchronized (lock) {
      inFlight++;
    }
  }

  private void end() {
    synchronized (lock) {
      if (--inFlight == 0) {
        lock.notifyAll();
      }
    }
  }

  /**
   * Stops: deliveries and retries still waiting are dropped (call {@link #awaitDeliveries} first).
   */
  @Override
  public void close() {
    executor.shutdownNow();
    links.close();
  }

  /** One try; a failure schedules the next, after its backoff, unless it was the last. */
  private void attempt(Channel channel, Message message, int number) {
    Event event = message.event();
    Optional<String> error = Optional.empty();
    try {
      channel.send(message, settings.delivery().timeout());
      LOG.info(
          "Notified {} {} about run {} of job {} ({})",
          channel.type(),
          channel.name(),
          event.runId(),
          event.job(),
          event.type().text());
    } catch (Exception e) {
      error =
          Optional.of(
              Secrets.maskUrl(
                  e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      LOG.warn(
          "Cannot notify {} {} about run {} (try {} of {}): {}",
          channel.type(),
          channel.name(),
          event.runId(),
          number,
          settings.delivery().attempts(),
          error.get());
    }
    record(channel, message, number, error);
    if (error.isPresent() && number < settings.delivery().attempts()) {
      try {
        executor.schedule(
            () -> attempt(channel, message, number + 1),
            settings.delivery().backoff(number).toMillis(),
            TimeUnit.MILLISECONDS);
        return;
      } catch (RejectedExecutionException closed) {
        LOG.warn("Notifications are closed; no more tries for run {}", event.runId());
      }
    }
    end();
  }

  private void record(Channel channel, Message message, int number, Optional<String> error) {
    try {
      Notification notification =
          new Notification(
              message.event().runId(),
              channel.type(),
              message.event().type().text() + " to " + channel.target(),
              number,
              error.isEmpty() ? Notification.Delivery.SENT : Notification.Delivery.FAILED,
              error,
              clock.instant());
      message
          .event()
          .alert()
          .ifPresentOrElse(
              alert -> log.record(alert, notification), () -> log.record(notification));
    } catch (RuntimeException e) {
      LOG.warn(
          "Cannot record the notification of run {} in the run history: {}",
          message.event().runId(),
          e.getMessage());
    }
  }

  /**
   * Download links to the event's files on S3, signed for the configured expiry; none elsewhere.
   */
  private Map<String, Link> links(Event event) {
    Map<String, Link> signed = new LinkedHashMap<>();
    event
        .output()
        .ifPresent(
            output -> {
              for (var file : output.fileList()) {
                String location = output.location(file);
                if (DownloadLinks.shareable(location)) {
                  signed.put(location, links.sign(location, settings.linkExpiry()));
                }
              }
            });
    return signed;
  }

  private static ThreadFactory daemons() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "lakeport-notify-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
