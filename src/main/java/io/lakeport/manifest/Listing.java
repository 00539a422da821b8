package io.lakeport.manifest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists the data files under an export root: hidden names ({@code _x}, {@code .x}) skipped. What
 * {@link Verifier} compares with a manifest, and what a run's publication finds in its staging and
 * at its sink.
 */
public final class Listing {
  private Listing() {}

  /** Paths relative to {@code root}, sorted; none when {@code root} does not exist. */
  public static Set<String> dataFiles(FileSystem fs, Path root) throws IOException {
    Set<String> files = new TreeSet<>();
    if (!fs.exists(root)) {
      return files;
    }
    String prefix = fs.makeQualified(root).toUri().getPath();
    prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    try {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        String path = it.next().getPath().toUri().getPath();
        String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
        if (!hidden(relative)) {
          files.add(relative);
        }
      }
    } catch (FileNotFoundException e) {
      return files;
    }
    return files;
  }

  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
