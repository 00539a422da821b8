package io.lakeport.cli;

import io.lakeport.retention.Decision;
import io.lakeport.retention.DeltaRetention;
import io.lakeport.retention.Leftover;
import io.lakeport.retention.RetentionPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code lakeport retention plan --output json}: each job's plan as data, with what the text shows:
 * every export and what happens to it and why, leftovers, archives past their keep, paths never
 * touched, and the totals.
 */
final class RetentionJson {
  private RetentionJson() {}

  static Map<String, Object> plan(RetentionPlan plan) {
    Map<String, Object> view = JsonDocument.object();
    view.put("job", plan.job());
    view.put("root", plan.root());
    view.put("policy", plan.policy());
    view.put("refused", plan.refusal().orElse(null));
    view.put("interrupted_runs", plan.interrupted());
    view.put("exports", plan.decisions().stream().map(RetentionJson::decision).toList());
    view.put("delta", plan.delta().map(RetentionJson::delta).orElse(null));
    List<Map<String, Object>> leftovers = new ArrayList<>();
    plan.staleLeftovers().forEach(l -> leftovers.add(leftover(l, "delete")));
    plan.freshLeftovers().forEach(l -> leftovers.add(leftover(l, "keep")));
    view.put("leftovers", leftovers);
    view.put("expired_archives", plan.expiredArchives());
    view.put(
        "never_touched",
        new TreeMap<>(plan.refusedPaths())
            .entrySet().stream()
                .map(e -> JsonDocument.object("path", e.getKey(), "reason", e.getValue()))
                .toList());
    view.put("unclaimed_files", plan.unclaimedFiles());
    Map<String, Object> removes = JsonDocument.object();
    removes.put("exports", plan.removed().size());
    removes.put("leftovers", plan.staleLeftovers().size());
    removes.put("files", plan.filesFreed());
    removes.put("bytes", plan.bytesFreed());
    view.put("would_remove", removes);
    return view;
  }

  private static Map<String, Object> decision(Decision decision) {
    Map<String, Object> view = JsonDocument.object();
    view.put("run_id", decision.export().runId());
    view.put("logical_date", decision.export().logicalDate().map(Object::toString).orElse(null));
    view.put("published_at", JsonDocument.time(decision.export().publishedAt()));
    view.put("files", decision.export().files());
    view.put("bytes", decision.export().bytes());
    view.put("action", decision.action().text());
    view.put("reasons", decision.reasons());
    view.put("problem", decision.export().problem().orElse(null));
    return view;
  }

  private static Map<String, Object> leftover(Leftover leftover, String action) {
    Map<String, Object> view = JsonDocument.object();
    view.put("kind", leftover.kind().text());
    view.put("path", leftover.path());
    view.put("files", leftover.files());
    view.put("bytes", leftover.bytes());
    view.put("last_modified", JsonDocument.time(leftover.lastModified()));
    view.put("action", action);
    return view;
  }

  private static Map<String, Object> delta(DeltaRetention.Plan delta) {
    Map<String, Object> view = JsonDocument.object();
    view.put("vacuum_retain_ms", delta.vacuumRetain().map(Duration::toMillis).orElse(null));
    view.put("files_to_vacuum", delta.filesToVacuum());
    view.put("log_retention", delta.logRetention().orElse(null));
    view.put("wanted_log_retention", delta.wantedLogRetention().orElse(null));
    return view;
  }
}
