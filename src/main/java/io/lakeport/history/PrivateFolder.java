package io.lakeport.history;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The folder of an embedded history file, created for its user alone ({@code rwx------}) when it
 * does not exist yet, so that other users of the machine can read neither the history nor (for H2)
 * the key of its server. An existing folder is left as it is.
 */
final class PrivateFolder {
  private PrivateFolder() {}

  /**
   * Creates the folder holding {@code file}, if it is missing; a failure is left to the driver to
   * report.
   */
  static void createFor(String file) {
    Path folder = Path.of(file).toAbsolutePath().getParent();
    if (folder == null || Files.exists(folder)) {
      return;
    }
    try {
      Files.createDirectories(folder.getParent());
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectory(
            folder,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(folder);
      }
    } catch (FileAlreadyExistsException e) {
      // another process made it meanwhile
    } catch (IOException e) {
      // the driver reports what it cannot open, with the history's URL
    }
  }
}
