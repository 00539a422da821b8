package io.lakeport.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the log files of pruned runs ({@link Pruned#logFiles}), so that the files of a run go
 * when its record goes. Only {@code .log} files inside the site's logs folder are touched: a path
 * recorded in the history is not trusted to name anything else.
 */
public final class RunLogFiles {
  private static final Logger LOG = LoggerFactory.getLogger(RunLogFiles.class);

  private RunLogFiles() {}

  /**
   * Those of {@code files} that are {@code .log} files under {@code logs}, normalized: what {@link
   * #delete} deletes.
   */
  public static List<Path> under(Path logs, List<String> files) {
    Path root = logs.toAbsolutePath().normalize();
    List<Path> under = new ArrayList<>();
    for (String file : files) {
      Path path;
      try {
        path = Path.of(file).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        continue;
      }
      if (path.startsWith(root)
          && !path.equals(root)
          && path.getFileName().toString().endsWith(".log")) {
        under.add(path);
      }
    }
    return under;
  }

  /**
   * Deletes those of {@code files} that are {@code .log} files under {@code logs}; returns how many
   * it deleted. A file that cannot be deleted is logged and left; pruning goes on.
   */
  public static long delete(Path logs, List<String> files) {
    long deleted = 0;
    for (Path path : under(logs, files)) {
      try {
        if (Files.deleteIfExists(path)) {
          deleted++;
        }
      } catch (IOException e) {
        LOG.warn("Cannot delete the log file {} of a pruned run: {}", path, e.toString());
      }
    }
    return deleted;
  }
}
