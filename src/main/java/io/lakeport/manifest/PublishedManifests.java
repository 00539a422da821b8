package io.lakeport.manifest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The manifests published at an export, for readers outside a run (notebooks, the Java API). */
public final class PublishedManifests {
  private PublishedManifests() {}

  /**
   * Every readable manifest under {@code exportPath}'s {@code _lakeport/}, newest run first; none
   * when there is no export yet.
   */
  public static List<Manifest> newestFirst(Configuration hadoop, String exportPath)
      throws IOException {
    Path root = new Path(exportPath);
    FileSystem fs = root.getFileSystem(hadoop);
    List<Manifest> manifests = new ArrayList<>();
    for (Path path : Manifests.newestFirst(fs, fs.makeQualified(root))) {
      Manifests.read(fs, path).ifPresent(manifests::add);
    }
    return List.copyOf(manifests);
  }

  /**
   * The newest readable manifests under {@code exportPath} that {@code matches}, at most {@code
   * limit}, newest first: reads only as many manifests as it takes.
   */
  public static List<Manifest> newestFirst(
      Configuration hadoop, String exportPath, Predicate<Manifest> matches, int limit)
      throws IOException {
    Path root = new Path(exportPath);
    FileSystem fs = root.getFileSystem(hadoop);
    List<Manifest> manifests = new ArrayList<>();
    for (Path path : Manifests.newestFirst(fs, fs.makeQualified(root))) {
      if (manifests.size() == limit) {
        break;
      }
      Manifests.read(fs, path).filter(matches).ifPresent(manifests::add);
    }
    return List.copyOf(manifests);
  }
}
