package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A job's {@code retention} block: which published exports to keep, how long leftovers of failed
 * runs may stay, where exports go before they are deleted, Delta's clean-up periods, and when
 * retention runs. An export is kept if any {@link Keep} rule keeps it; a policy without rules keeps
 * everything.
 *
 * @param minimumDays the site's floor ({@code lakeport.retention.minimum-days}): exports published
 *     fewer days ago than this are never deleted
 */
public record RetentionSpec(
    Keep keep,
    int minimumDays,
    Duration stagingGrace,
    Optional<Archive> archive,
    Delta delta,
    Optional<ScheduleSpec> schedule) {

  public RetentionSpec {
    requireNonNull(keep, "keep is null");
    requireNonNull(stagingGrace, "stagingGrace is null");
    requireNonNull(archive, "archive is null");
    requireNonNull(delta, "delta is null");
    requireNonNull(schedule, "schedule is null");
  }

  /** What an export's age is measured from for {@code keep.days}. */
  public enum AgeOf {
    /** The export's logical date (its run_date); the publish time for jobs without one. */
    LOGICAL_DATE,
    /** When the export was published. */
    PUBLISHED
  }

  /**
   * The keep rules: exports younger than {@code days}, the newest {@code last}, and the newest
   * whose sizes add up to at most {@code maxBytes}. Absent rules keep nothing by themselves.
   */
  public record Keep(OptionalInt days, AgeOf ageOf, OptionalInt last, OptionalLong maxBytes) {
    public Keep {
      requireNonNull(days, "days is null");
      requireNonNull(ageOf, "ageOf is null");
      requireNonNull(last, "last is null");
      requireNonNull(maxBytes, "maxBytes is null");
    }

    public boolean any() {
      return days.isPresent() || last.isPresent() || maxBytes.isPresent();
    }

    /**
     * The rules in words, e.g. {@code exports younger than 30 days (logical date), or the last 7}.
     */
    public String describe() {
      List<String> rules = new ArrayList<>();
      days.ifPresent(
          d ->
              rules.add(
                  "exports younger than "
                      + d
                      + " days (by "
                      + (ageOf == AgeOf.PUBLISHED ? "publish time" : "logical date")
                      + ")"));
      last.ifPresent(n -> rules.add("the last " + n));
      maxBytes.ifPresent(b -> rules.add("the newest up to " + b + " bytes in all"));
      return rules.isEmpty()
          ? "no keep rules: every export is kept"
          : "keep " + String.join(", or ", rules);
    }
  }

  /** Where exports are packed before they are deleted, and how long the archives stay. */
  public record Archive(String location, Format format, OptionalInt keepDays) {
    public Archive {
      requireNonNull(location, "location is null");
      requireNonNull(format, "format is null");
      requireNonNull(keepDays, "keepDays is null");
    }

    public enum Format {
      TAR_GZ("tar.gz"),
      ZIP("zip");

      private final String extension;

      Format(String extension) {
        this.extension = extension;
      }

      public String extension() {
        return extension;
      }
    }
  }

  /**
   * For Delta sinks: {@code VACUUM} removes files the table no longer references that are older
   * than {@code vacuumRetain}; {@code logRetention} becomes the table's {@code
   * delta.logRetentionDuration}. Empty: leave Delta's own defaults.
   */
  public record Delta(Optional<Duration> vacuumRetain, Optional<Duration> logRetention) {
    public Delta {
      requireNonNull(vacuumRetain, "vacuumRetain is null");
      requireNonNull(logRetention, "logRetention is null");
    }
  }
}
