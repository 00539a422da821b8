package io.lakeport.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.config.EventType;
import io.lakeport.config.NotificationSettings.Slack;
import io.lakeport.notify.DownloadLinks.Link;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Slack incoming webhook: the event's facts as Block Kit blocks (a header, the facts as fields,
 * the error, the download links, the manifest), with a one-line {@code text} for notifications.
 */
final class SlackChannel implements Channel {
  /** Slack shows at most 10 fields in a section. */
  private static final int MAX_FIELDS = 10;

  /** Slack cuts a text block at 3,000 characters. */
  private static final int MAX_TEXT = 2900;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Slack spec;
  private final HttpClient http;

  SlackChannel(Slack spec, HttpClient http) {
    this.spec = requireNonNull(spec, "spec is null");
    this.http = requireNonNull(http, "http is null");
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
    return spec.name() + " (url from " + spec.url() + ")";
  }

  @Override
  public void send(Message message, Duration timeout) throws Exception {
    byte[] body = JSON.writeValueAsBytes(blocks(message.event(), message.links()));
    WebhookChannel.post(
        http,
        URI.create(spec.url().reveal()),
        body,
        "application/json",
        timeout,
        Optional.empty(),
        message.event().type().text());
  }

  /** The Slack message: {@code text} and {@code blocks}. */
  static Map<String, Object> blocks(Event event, Map<String, Link> links) {
    Map<String, String> facts = new LinkedHashMap<>(Facts.of(event));
    String error = facts.remove("Error");
    String manifest = facts.remove("Manifest");
    List<Object> blocks = new ArrayList<>();
    blocks.add(
        Map.of(
            "type",
            "header",
            "text",
            Map.of("type", "plain_text", "text", icon(event.type()) + " " + Facts.title(event))));
    List<Object> fields = new ArrayList<>();
    facts.forEach(
        (name, value) -> {
          if (fields.size() < MAX_FIELDS) {
            fields.add(mrkdwn("*" + name + "*\n" + value));
          }
        });
    blocks.add(Map.of("type", "section", "fields", fields));
    if (error != null) {
      blocks.add(Map.of("type", "section", "text", mrkdwn("*Error*\n```" + cut(error) + "```")));
    }
    if (!links.isEmpty()) {
      StringBuilder text =
          new StringBuilder(
              "*Downloads* (links expire "
                  + links.values().stream()
                      .map(Link::expiresAt)
                      .min(Instant::compareTo)
                      .orElseThrow()
                  + ")");
      for (Link link : links.values()) {
        String line =
            "\n<"
                + link.url()
                + "|"
                + link.location().substring(link.location().lastIndexOf('/') + 1)
                + ">";
        if (text.length() + line.length() > MAX_TEXT) {
          text.append("\n… and more in the manifest");
          break;
        }
        text.append(line);
      }
      blocks.add(Map.of("type", "section", "text", mrkdwn(text.toString())));
    }
    if (manifest != null) {
      blocks.add(Map.of("type", "context", "elements", List.of(mrkdwn("manifest: " + manifest))));
    }
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("text", Facts.title(event) + " (run " + event.runId() + ")");
    message.put("blocks", blocks);
    return message;
  }

  private static Map<String, Object> mrkdwn(String text) {
    return Map.of("type", "mrkdwn", "text", text);
  }

  private static String cut(String text) {
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
  }

  private static String icon(EventType type) {
    return switch (type) {
      case RUN_SUCCEEDED -> ":white_check_mark:";
      case RUN_FAILED -> ":x:";
      case QUALITY_WARNING,
          SCHEDULE_MISSED,
          UPSTREAM_LATE,
          SCHEMA_CHANGED,
          FAILURE_RATE,
          ROWS_DROPPED ->
          ":warning:";
      case RUN_SLOW -> ":hourglass:";
      case EXPORT_LATE -> ":alarm_clock:";
      case RETENTION_APPLIED -> ":wastebasket:";
    };
  }
}
