package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What retention would do to one job's export root, and why, without having done it: each export's
 * decision, leftovers of failed runs old enough to clean (and those still in their grace period),
 * deletions a crash interrupted (finished first), archives past their keep-days, paths a manifest
 * names that retention refuses to touch, and files no manifest names (never deleted). A refusal
 * keeps every export.
 */
public record RetentionPlan(
    String job,
    String root,
    String policy,
    List<Decision> decisions,
    Optional<String> refusal,
    List<Leftover> staleLeftovers,
    List<Leftover> freshLeftovers,
    List<String> interrupted,
    List<String> expiredArchives,
    Map<String, String> refusedPaths,
    int unclaimedFiles,
    Optional<DeltaRetention.Plan> delta) {

  public RetentionPlan {
    requireNonNull(job, "job is null");
    requireNonNull(root, "root is null");
    requireNonNull(policy, "policy is null");
    decisions = List.copyOf(decisions);
    requireNonNull(refusal, "refusal is null");
    staleLeftovers = List.copyOf(staleLeftovers);
    freshLeftovers = List.copyOf(freshLeftovers);
    interrupted = List.copyOf(interrupted);
    expiredArchives = List.copyOf(expiredArchives);
    refusedPaths = Map.copyOf(refusedPaths);
    requireNonNull(delta, "delta is null");
  }

  public List<Decision> removed() {
    return decisions.stream().filter(d -> d.action().removes()).toList();
  }

  public List<Decision> kept() {
    return decisions.stream().filter(d -> !d.action().removes()).toList();
  }

  /** Files the plan deletes: of removed exports and of stale leftovers. */
  public long filesFreed() {
    return removed().stream().mapToLong(d -> d.export().files()).sum()
        + staleLeftovers.stream().mapToLong(Leftover::files).sum();
  }

  /** Bytes the plan frees under the export root. */
  public long bytesFreed() {
    return removed().stream().mapToLong(d -> d.export().bytes()).sum()
        + staleLeftovers.stream().mapToLong(Leftover::bytes).sum();
  }
}
