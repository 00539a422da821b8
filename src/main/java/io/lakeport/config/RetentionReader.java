package io.lakeport.config;

import com.typesafe.config.ConfigValueType;
import io.lakeport.config.RetentionSpec.AgeOf;
import io.lakeport.config.RetentionSpec.Archive;
import io.lakeport.config.RetentionSpec.Keep;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads a job's {@code retention} block (over {@code lakeport.job-defaults.retention}) against the
 * site's floor {@code lakeport.retention.minimum-days}: a keep rule below the floor is refused
 * here, before anything runs.
 */
final class RetentionReader {
  static final String KEEP = "keep";
  static final String STAGING_GRACE = "staging-grace";
  static final String ARCHIVE = "archive";
  static final String DELTA = "delta";
  static final String SCHEDULE = "schedule";
  static final String[] KEYS = {KEEP, STAGING_GRACE, ARCHIVE, DELTA, SCHEDULE};

  /** The site setting that puts a floor under every keep rule. */
  static final String MINIMUM_DAYS = "lakeport.retention.minimum-days";

  private static final String DAYS = "days";
  private static final String AGE_OF = "age-of";
  private static final String LAST = "last";
  private static final String MAX_SIZE = "max-size";
  static final String LOCATION = "location";
  private static final String FORMAT = "format";
  private static final String KEEP_DAYS = "keep-days";
  private static final String VACUUM_RETAIN = "vacuum-retain";
  private static final String LOG_RETENTION = "log-retention";

  private final Section retention;
  private final int minimumDays;

  RetentionReader(Section retention, int minimumDays) {
    this.retention = retention;
    this.minimumDays = minimumDays;
  }

  RetentionSpec read(ZoneId jobZone) {
    Section keep = retention.section(KEEP, DAYS, AGE_OF, LAST, MAX_SIZE);
    OptionalInt days = positive(keep, DAYS);
    days.ifPresent(
        d -> {
          if (d < minimumDays) {
            keep.problem(
                DAYS,
                "keeps exports for "
                    + d
                    + " days, below the site's minimum retention "
                    + MINIMUM_DAYS
                    + " = "
                    + minimumDays,
                "Raise "
                    + keep.full(DAYS)
                    + " to at least "
                    + minimumDays
                    + ", or lower "
                    + MINIMUM_DAYS
                    + " in the site settings (conf/application.conf).");
          }
        });
    AgeOf ageOf = keep.optionalEnum(AGE_OF, AgeOf.class).orElse(AgeOf.LOGICAL_DATE);
    OptionalInt last = positive(keep, LAST);
    OptionalLong maxBytes =
        keep.optionalBytes(MAX_SIZE)
            .filter(
                bytes -> {
                  if (bytes <= 0) {
                    keep.problem(
                        MAX_SIZE,
                        "must be more than 0 bytes",
                        "Write e.g. " + keep.full(MAX_SIZE) + " = 50GB, or remove it.");
                  }
                  return bytes > 0;
                })
            .map(OptionalLong::of)
            .orElse(OptionalLong.empty());
    Duration grace = retention.optionalDuration(STAGING_GRACE).orElse(Duration.ofHours(24));
    if (grace.isNegative()) {
      retention.problem(
          STAGING_GRACE,
          "must not be negative",
          "Write e.g. " + retention.full(STAGING_GRACE) + " = 24h.");
    }
    Section delta = retention.section(DELTA, VACUUM_RETAIN, LOG_RETENTION);
    return new RetentionSpec(
        new Keep(days, ageOf, last, maxBytes),
        minimumDays,
        grace,
        archive(),
        new RetentionSpec.Delta(
            delta.optionalDuration(VACUUM_RETAIN), delta.optionalDuration(LOG_RETENTION)),
        schedule(jobZone));
  }

  private Optional<Archive> archive() {
    if (!retention.has(ARCHIVE)) {
      return Optional.empty();
    }
    Section archive = retention.section(ARCHIVE, LOCATION, FORMAT, KEEP_DAYS);
    String location = archive.string(LOCATION);
    String formatText = archive.optionalString(FORMAT).orElse("tar.gz").toLowerCase(Locale.ROOT);
    Archive.Format format =
        switch (formatText) {
          case "tar.gz", "tgz" -> Archive.Format.TAR_GZ;
          case "zip" -> Archive.Format.ZIP;
          default -> {
            archive.problem(
                FORMAT, "unknown archive format \"" + formatText + "\"", "Use tar.gz or zip.");
            yield Archive.Format.TAR_GZ;
          }
        };
    return Optional.of(new Archive(location, format, positive(archive, KEEP_DAYS)));
  }

  private Optional<ScheduleSpec> schedule(ZoneId jobZone) {
    if (!retention.has(SCHEDULE)
        || retention.value(SCHEDULE).valueType() != ConfigValueType.OBJECT) {
      return Optional.empty();
    }
    return Optional.of(
        new ScheduleReader(retention.section(SCHEDULE, ScheduleReader.KEYS), jobZone).read());
  }

  private static OptionalInt positive(Section section, String key) {
    Optional<Long> value = section.optionalLong(key);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    if (value.get() < 1 || value.get() > Integer.MAX_VALUE) {
      section.problem(
          key,
          "must be a whole number of at least 1, found " + value.get(),
          "Write e.g. " + section.full(key) + " = 30, or remove it to turn the rule off.");
      return OptionalInt.empty();
    }
    return OptionalInt.of(value.get().intValue());
  }
}
