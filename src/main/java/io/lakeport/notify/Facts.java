package io.lakeport.notify;

import io.lakeport.config.EventType;
import io.lakeport.config.Secrets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The facts of an event as people read them (Slack and email), in the order they are shown. */
final class Facts {
  private Facts() {}

  /** e.g. {@code orders-daily: run failed}. */
  static String title(Event event) {
    return event.job() + ": " + event.type().text().replace('-', ' ');
  }

  static Map<String, String> of(Event event) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("Job", event.job());
    facts.put("Run", event.runId());
    event.logicalDate().ifPresent(date -> facts.put("Logical date", date));
    event.slot().ifPresent(slot -> facts.put("Slot", slot.toString()));
    facts.put("Status", event.status());
    if (event.attempts() > 0) {
      facts.put("Attempts", String.valueOf(event.attempts()));
    }
    event
        .output()
        .ifPresent(
            output -> {
              facts.put("Rows", String.format(Locale.ROOT, "%,d", output.rows()));
              facts.put("Files", String.format(Locale.ROOT, "%,d", output.files()));
              facts.put("Bytes", String.format(Locale.ROOT, "%,d", output.bytes()));
              facts.put("Quality", output.qualityOutcome());
              output.manifest().ifPresent(manifest -> facts.put("Manifest", manifest));
            });
    event.duration().ifPresent(duration -> facts.put("Duration", text(duration)));
    event
        .retention()
        .ifPresent(
            r ->
                facts.put(
                    "Retention",
                    String.format(
                        Locale.ROOT,
                        "%d exports deleted, %d archived, %,d bytes freed",
                        r.exportsDeleted(),
                        r.exportsArchived(),
                        r.bytesFreed())));
    event
        .schemaDrift()
        .ifPresent(
            drift ->
                facts.put(
                    "Schema changes",
                    "since "
                        + drift.comparedWith()
                        + ":\n"
                        + drift.changes().stream()
                            .map(change -> "- " + change.describe())
                            .collect(Collectors.joining("\n"))));
    event.alert().ifPresent(alert -> facts.put("Alert", alert.detail()));
    event
        .error()
        .ifPresent(
            error ->
                facts.put(
                    event.type() == EventType.SCHEDULE_MISSED
                            || event.type() == EventType.UPSTREAM_LATE
                        ? "Reason"
                        : "Error",
                    Secrets.maskUrl(error)));
    return facts;
  }

  static String text(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds < 60
        ? duration.toMillis() / 1000.0 + " s"
        : String.format(
            Locale.ROOT, "%dh %02dm %02ds", seconds / 3600, seconds % 3600 / 60, seconds % 60);
  }
}
