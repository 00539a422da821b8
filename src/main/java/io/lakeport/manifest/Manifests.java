package io.lakeport.manifest;

import com.fasterxml.jackson.core.JacksonException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The manifests of an export root, in {@code _lakeport/}: named {@code manifest-<run id>.json}, and
 * run ids sort by start time, so the newest run is the last name. Lists only that folder, never the
 * data.
 */
public final class Manifests {
  public static final String DIR = "_lakeport";
  public static final String PREFIX = "manifest-";
  public static final String SUFFIX = ".json";

  /** Names a run's manifest while its files are being published ({@link #pendingPath}). */
  public static final String PENDING_PREFIX = "pending-";

  /** How many of the newest manifests {@link #latest} reads before giving up. */
  private static final int LOOK_BACK = 5;

  private Manifests() {}

  public static Path path(Path root, String runId) {
    return new Path(new Path(root, DIR), PREFIX + runId + SUFFIX);
  }

  /**
   * Where a run's manifest stands while its files are being published: written before the first
   * file moves, so that whatever a reader sees of the run is described by a manifest on disk, and
   * so that the next run on the export knows what to undo if this one dies before its manifest.
   * Readers of published exports never see it: its name is not a manifest's.
   */
  public static Path pendingPath(Path root, String runId) {
    return new Path(new Path(root, DIR), PENDING_PREFIX + runId + SUFFIX);
  }

  /** The run id a pending manifest file is named after; empty for other names. */
  public static Optional<String> pendingRunIdOf(String fileName) {
    return fileName.startsWith(PENDING_PREFIX)
            && fileName.endsWith(SUFFIX)
            && fileName.length() > PENDING_PREFIX.length() + SUFFIX.length()
        ? Optional.of(
            fileName.substring(PENDING_PREFIX.length(), fileName.length() - SUFFIX.length()))
        : Optional.empty();
  }

  /** The run id a manifest file is named after; empty for other names. */
  public static Optional<String> runIdOf(String fileName) {
    return fileName.startsWith(PREFIX)
            && fileName.endsWith(SUFFIX)
            && fileName.length() > PREFIX.length() + SUFFIX.length()
        ? Optional.of(fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length()))
        : Optional.empty();
  }

  /** Manifest files under {@code root}, newest first. */
  public static List<Path> newestFirst(FileSystem fs, Path root) throws IOException {
    List<Path> manifests = new ArrayList<>();
    try {
      for (FileStatus status : fs.listStatus(new Path(root, DIR))) {
        String name = status.getPath().getName();
        if (status.isFile() && name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
          manifests.add(status.getPath());
        }
      }
    } catch (FileNotFoundException e) {
      return List.of();
    }
    manifests.sort(Comparator.comparing(Path::getName).reversed());
    return manifests;
  }

  /** The newest of the last few manifests that {@code matches}; unreadable ones are passed over. */
  public static Optional<Manifest> latest(FileSystem fs, Path root, Predicate<Manifest> matches)
      throws IOException {
    for (Path path : newestFirst(fs, root).stream().limit(LOOK_BACK).toList()) {
      Optional<Manifest> manifest = read(fs, path).filter(matches);
      if (manifest.isPresent()) {
        return manifest;
      }
    }
    return Optional.empty();
  }

  /** Writes a manifest whole: to a hidden temporary name first, then renamed into place. */
  public static void write(FileSystem fs, Path path, Manifest manifest) throws IOException {
    Path temporary = new Path(path.getParent(), "." + path.getName() + ".tmp");
    try (OutputStream out = fs.create(temporary, true)) {
      out.write(manifest.toJson());
    }
    if (!fs.rename(temporary, path)) {
      throw new IOException("could not rename " + temporary + " to " + path);
    }
  }

  /** The manifest at {@code path}, or empty when it is not readable as one. */
  public static Optional<Manifest> read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return Optional.of(Manifest.fromJson(in));
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }
}
