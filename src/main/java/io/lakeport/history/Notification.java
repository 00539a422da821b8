package io.lakeport.history;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.Secrets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One delivery attempt of a notification about a run: the channel (e.g. {@code email}, {@code
 * webhook}), where it went, which attempt, whether it was delivered, and when. The target is masked
 * on the way in (passwords in URLs, tokens in query strings), so the history never holds a secret.
 */
public record Notification(
    String runId,
    String channel,
    String target,
    int attempt,
    Delivery delivery,
    Optional<String> error,
    Instant sentAt) {

  public Notification {
    requireNonNull(runId, "runId is null");
    requireNonNull(channel, "channel is null");
    target = Secrets.maskUrl(requireNonNull(target, "target is null"));
    requireNonNull(delivery, "delivery is null");
    error = requireNonNull(error, "error is null").map(RunOutcome::summary);
    requireNonNull(sentAt, "sentAt is null");
  }

  /** Whether the notification reached its target. */
  public enum Delivery {
    SENT,
    FAILED;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
