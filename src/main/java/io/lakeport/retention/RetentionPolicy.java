package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.RetentionSpec;
import io.lakeport.config.RetentionSpec.AgeOf;
import io.lakeport.config.RetentionSpec.Keep;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A job's retention rules applied to its exports: pure, so a plan can be explained and tested
 * without storage. An export is kept if any keep rule keeps it ({@code days}, {@code last}, {@code
 * max-size}); whatever the rules say, the newest readable export, exports published less than the
 * site's {@code minimum-days} ago and exports whose manifest cannot be read are kept. When the
 * rules keep none of the readable exports, the policy is refused and nothing is deleted: a job that
 * stopped exporting for longer than {@code keep.days} keeps its last exports until someone decides
 * otherwise.
 *
 * <p>Ages: by logical date, the whole days from the export's run_date to today in the job's time
 * zone ({@code days = 7} on the 25th keeps the 19th to the 25th); by publish time (and for exports
 * without a logical date), the time since publishing, in 24-hour days. {@code max-size} keeps the
 * newest exports while their present bytes add up to at most the limit, and none after the first
 * that does not fit.
 */
public final class RetentionPolicy {
  /** The site setting named when the floor keeps an export. */
  public static final String MINIMUM_DAYS = "lakeport.retention.minimum-days";

  private final RetentionSpec spec;
  private final ZoneId zone;

  public RetentionPolicy(RetentionSpec spec, ZoneId zone) {
    this.spec = requireNonNull(spec, "spec is null");
    this.zone = requireNonNull(zone, "zone is null");
  }

  /** The decisions, newest export first, or a refusal that keeps them all. */
  public record Verdict(List<Decision> decisions, Optional<String> refusal) {
    public Verdict {
      decisions = List.copyOf(decisions);
      requireNonNull(refusal, "refusal is null");
    }

    public List<Decision> removed() {
      return decisions.stream().filter(d -> d.action().removes()).toList();
    }
  }

  public Verdict decide(List<Export> exports, Instant now) {
    List<Export> newestFirst = new ArrayList<>(exports);
    newestFirst.sort(Comparator.comparing(Export::runId).reversed());
    Keep keep = spec.keep();
    List<List<String>> reasons = new ArrayList<>();
    boolean anyKeptByRules = false;
    long sizeSoFar = 0;
    boolean sizeFull = false;
    int readableIndex = 0;
    for (Export export : newestFirst) {
      List<String> why = new ArrayList<>();
      if (!export.readable()) {
        why.add("manifest cannot be read (" + export.problem().orElseThrow() + "): never deleted");
        reasons.add(why);
        continue;
      }
      if (readableIndex == 0) {
        why.add("the newest export");
      }
      int index = readableIndex++;
      List<String> byRules = new ArrayList<>();
      keep.last()
          .ifPresent(
              last -> {
                if (index < last) {
                  byRules.add("among the last " + last);
                }
              });
      keep.days()
          .ifPresent(
              days -> {
                if (age(export, now, keep.ageOf()) < days) {
                  byRules.add("younger than " + days + " days");
                }
              });
      if (keep.maxBytes().isPresent() && !sizeFull) {
        sizeSoFar += export.bytes();
        if (sizeSoFar <= keep.maxBytes().getAsLong()) {
          byRules.add("within max-size " + keep.maxBytes().getAsLong() + " bytes");
        } else {
          sizeFull = true;
        }
      }
      anyKeptByRules |= !byRules.isEmpty();
      why.addAll(byRules);
      if (Duration.between(export.publishedAt(), now).compareTo(Duration.ofDays(spec.minimumDays()))
          < 0) {
        why.add("published less than " + spec.minimumDays() + " days ago (" + MINIMUM_DAYS + ")");
      }
      if (!keep.any()) {
        why.add("no keep rules");
      }
      reasons.add(why);
    }
    boolean anyReadable = readableIndex > 0;
    Optional<String> refusal =
        keep.any() && anyReadable && !anyKeptByRules
            ? Optional.of(
                "the policy ("
                    + keep.describe()
                    + ") keeps none of the "
                    + readableIndex
                    + " readable exports, so it would delete every export; nothing is deleted. Add or raise keep.last,"
                    + " or raise keep.days, if the exports really should go")
            : Optional.empty();
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      List<String> why = reasons.get(i);
      Decision.Action action =
          refusal.isPresent() || !why.isEmpty()
              ? Decision.Action.KEEP
              : spec.archive().isPresent()
                  ? Decision.Action.ARCHIVE_AND_DELETE
                  : Decision.Action.DELETE;
      if (refusal.isPresent() && why.isEmpty()) {
        why = List.of("policy refused");
      }
      decisions.add(new Decision(newestFirst.get(i), action, why));
    }
    return new Verdict(decisions, refusal);
  }

  /** Whole days old: by logical date in the job's zone, else by publish time. */
  private long age(Export export, Instant now, AgeOf ageOf) {
    if (ageOf == AgeOf.LOGICAL_DATE && export.logicalDate().isPresent()) {
      LocalDate today = now.atZone(zone).toLocalDate();
      return ChronoUnit.DAYS.between(export.logicalDate().get(), today);
    }
    return Duration.between(export.publishedAt(), now).toDays();
  }
}
