package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Subscriptions, by channel name: a job's {@code notifications} block, or the site's {@code
 * lakeport.notifications.subscriptions} that every job has. A job's subscription to a channel
 * replaces the site's subscription to the same channel for that job.
 */
public record NotificationSpec(Map<String, Subscription> subscriptions) {
  public NotificationSpec {
    subscriptions = Collections.unmodifiableMap(new LinkedHashMap<>(subscriptions));
  }

  public static NotificationSpec none() {
    return new NotificationSpec(Map.of());
  }

  /** These subscriptions over {@code fallback}: a channel in both takes this one's. */
  public NotificationSpec over(NotificationSpec fallback) {
    Map<String, Subscription> merged = new LinkedHashMap<>(fallback.subscriptions);
    merged.putAll(subscriptions);
    return new NotificationSpec(merged);
  }

  /**
   * What one channel is sent: the events listed, else every event at {@code level} or above; {@code
   * to} replaces an email channel's default recipients.
   */
  public record Subscription(
      String channel, EventType.Level level, Set<EventType> events, List<String> to) {
    public Subscription {
      requireNonNull(channel, "channel is null");
      requireNonNull(level, "level is null");
      events = events.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(events));
      to = List.copyOf(to);
    }

    public boolean wants(EventType event) {
      return events.isEmpty() ? event.level().compareTo(level) >= 0 : events.contains(event);
    }
  }
}
