package io.lakeport.retention;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The files under one export root, as retention may see and delete them. Paths are relative to the
 * root, {@code /}-separated. Implementations never follow symbolic links: a link is listed as
 * itself ({@link Entry#symlink()}) and a folder reached through one is not entered.
 */
interface ExportTree {
  /** Every file under the root (links included, not followed); empty when the root is absent. */
  List<Entry> walk() throws IOException;

  /**
   * Deletes these files, in the store's batches, and on file systems with folders the folders they
   * leave empty (never the root). Returns the paths that could not be deleted, with why.
   */
  List<String> delete(Collection<String> files) throws IOException;

  /** Whether a folder between the root and {@code relative} (or the file itself) is a link. */
  boolean throughLink(String relative) throws IOException;

  /** A file: its relative path, size, last change and whether it is a symbolic link. */
  record Entry(String path, long bytes, Instant modified, boolean symlink) {
    public Entry {
      requireNonNull(path, "path is null");
      requireNonNull(modified, "modified is null");
    }
  }
}
