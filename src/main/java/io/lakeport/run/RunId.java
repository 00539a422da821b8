package io.lakeport.run;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Run ids sort by start time and are unique: {@code 20261124T021500123Z-3f9a1c} (UTC, to the
 * millisecond). Manifests are found newest-first by these names, so ids one process issues are
 * strictly increasing even when two runs start in the same millisecond (unless the clock is set
 * back by more than a second).
 */
public final class RunId {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicReference<Instant> LAST = new AtomicReference<>(Instant.EPOCH);

  /**
   * A clock this far behind the last id is another clock (or was set back): its time is used as it
   * is.
   */
  private static final Duration STEP_BACK = Duration.ofSeconds(1);

  /** What any run id may look like: it names folders and files, so one safe path segment. */
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private RunId() {}

  /**
   * Whether {@code runId} can be a run id: letters, digits, '.', '_' and '-', at most 100, starting
   * with a letter or digit, no {@code ..}. Ids given from outside ({@code --run-id}) are checked
   * with it before they name a staging folder or a manifest.
   */
  public static boolean isValid(String runId) {
    return VALID.matcher(runId).matches() && !runId.contains("..");
  }

  /** When the run with this id started; empty when {@code runId} is not a run id. */
  public static Optional<Instant> startOf(String runId) {
    int dash = runId.indexOf('-');
    try {
      return Optional.of(Instant.from(FORMAT.parse(dash < 0 ? runId : runId.substring(0, dash))));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public static String next(Clock clock) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant issued =
        LAST.updateAndGet(
            last ->
                now.isAfter(last) || now.isBefore(last.minus(STEP_BACK))
                    ? now
                    : last.plusMillis(1));
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return FORMAT.format(issued) + "-" + HexFormat.of().formatHex(suffix);
  }
}
