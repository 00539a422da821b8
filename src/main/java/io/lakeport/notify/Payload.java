package io.lakeport.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.config.Secrets;
import io.lakeport.history.Alert;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.notify.DownloadLinks.Link;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON a webhook receives, version {@value #VERSION} of {@code docs/notification.schema.json}:
 * every fact of the event, keys in snake_case, unknown values as null. A new optional field keeps
 * the version; a removed or changed one raises it.
 */
final class Payload {
  static final int VERSION = 1;
  static final String SCHEMA = "lakeport.notification";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Payload() {}

  static byte[] json(Event event, Map<String, Link> links) {
    try {
      return JSON.writeValueAsBytes(fields(event, links));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Cannot write the notification payload of run " + event.runId(), e);
    }
  }

  static Map<String, Object> fields(Event event, Map<String, Link> links) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("schema", SCHEMA);
    json.put("schema_version", VERSION);
    json.put("event", event.type().text());
    json.put("level", event.type().level().text());
    json.put("occurred_at", event.occurredAt().toString());
    json.put("job", event.job());
    json.put("run_id", event.runId());
    json.put("logical_date", event.logicalDate().orElse(null));
    json.put("slot", event.slot().map(Instant::toString).orElse(null));
    json.put("status", event.status());
    json.put("attempts", event.attempts());
    json.put("duration_ms", event.duration().map(d -> d.toMillis()).orElse(null));
    Optional<Event.Output> output = event.output();
    json.put("rows", output.map(Event.Output::rows).orElse(null));
    json.put("files", output.map(Event.Output::files).orElse(null));
    json.put("bytes", output.map(Event.Output::bytes).orElse(null));
    json.put("sink_path", output.flatMap(Event.Output::sinkPath).orElse(null));
    json.put("manifest", output.flatMap(Event.Output::manifest).orElse(null));
    json.put("quality", output.map(Payload::quality).orElse(null));
    json.put("outputs", output.map(o -> outputs(o, links)).orElse(List.of()));
    json.put(
        "links_expire_at",
        links.values().stream()
            .map(Link::expiresAt)
            .min(Instant::compareTo)
            .map(Instant::toString)
            .orElse(null));
    json.put("error", event.error().map(Secrets::maskUrl).orElse(null));
    json.put("retention", event.retention().map(Payload::retention).orElse(null));
    json.put("schema_drift", event.schemaDrift().map(Payload::schemaDrift).orElse(null));
    json.put("alert", event.alert().map(Payload::alert).orElse(null));
    return json;
  }

  private static Map<String, Object> quality(Event.Output output) {
    Map<String, Object> quality = new LinkedHashMap<>();
    quality.put("outcome", output.qualityOutcome());
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Manifest.RuleResult rule :
        output.quality().map(Manifest.Quality::rules).orElse(List.of())) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("rule", rule.rule());
      r.put("outcome", rule.outcome());
      r.put("checked", rule.checked());
      r.put("failed", rule.failed());
      rules.add(r);
    }
    quality.put("rules", rules);
    quality.put("rejected_rows", output.quality().map(Manifest.Quality::rejectedRows).orElse(0L));
    return quality;
  }

  private static List<Map<String, Object>> outputs(Event.Output output, Map<String, Link> links) {
    List<Map<String, Object>> files = new ArrayList<>();
    for (OutputFile file : output.fileList()) {
      String location = output.location(file);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("path", location);
      f.put("rows", file.rows());
      f.put("bytes", file.bytes());
      f.put("sha256", file.sha256());
      f.put(
          "download_url",
          Optional.ofNullable(links.get(location)).map(l -> l.url().toString()).orElse(null));
      files.add(f);
    }
    return files;
  }

  private static Map<String, Object> schemaDrift(SchemaDrift drift) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("compared_with", drift.comparedWith());
    List<Map<String, Object>> changes = new ArrayList<>();
    for (SchemaDrift.Change change : drift.changes()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("kind", change.kind());
      c.put("column", change.column());
      c.put("before", change.before());
      c.put("after", change.after());
      c.put("action", change.action());
      changes.add(c);
    }
    d.put("changes", changes);
    return d;
  }

  private static Map<String, Object> alert(Alert alert) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("kind", alert.kind().text());
    a.put("window", alert.window());
    a.put("opened_at", alert.openedAt().toString());
    a.put("detail", alert.detail());
    return a;
  }

  private static Map<String, Object> retention(Event.Retention retention) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("exports_deleted", retention.exportsDeleted());
    r.put("exports_archived", retention.exportsArchived());
    r.put("bytes_freed", retention.bytesFreed());
    return r;
  }
}
