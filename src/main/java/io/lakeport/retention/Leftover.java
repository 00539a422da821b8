package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * What a failed or killed run left under an export root: a staging or trash folder of {@code
 * _lakeport}, or an S3 magic committer folder. {@code path} is relative to the root; {@code
 * lastModified} is the newest of its files.
 */
public record Leftover(String path, Kind kind, Instant lastModified, long bytes, int files) {
  public Leftover {
    requireNonNull(path, "path is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(lastModified, "lastModified is null");
  }

  public enum Kind {
    STAGING,
    TRASH,
    MAGIC;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
