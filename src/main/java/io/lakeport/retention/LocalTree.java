package io.lakeport.retention;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * An export root on a local (or mounted) file system, through {@code java.nio} so that symbolic
 * links are seen and never followed: Hadoop's local file system follows links when it lists and
 * deletes.
 */
final class LocalTree implements ExportTree {
  private final Path root;

  LocalTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public List<Entry> walk() throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return entries;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (isChecksum(file) && !attrs.isSymbolicLink()) {
              return FileVisitResult.CONTINUE;
            }
            entries.add(
                new Entry(
                    relative(file),
                    attrs.isSymbolicLink() ? 0 : attrs.size(),
                    attrs.lastModifiedTime().toInstant(),
                    attrs.isSymbolicLink()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    return entries;
  }

  @Override
  public List<String> delete(Collection<String> files) throws IOException {
    List<String> failed = new ArrayList<>();
    TreeSet<Path> parents = new TreeSet<>();
    for (String relative : files) {
      Path file = resolve(relative);
      if (throughLink(relative)) {
        failed.add(relative + ": reached through a symbolic link");
        continue;
      }
      Files.deleteIfExists(file);
      Files.deleteIfExists(checksumOf(file));
      for (Path parent = file.getParent();
          parent != null && !parent.equals(root) && parent.startsWith(root);
          parent = parent.getParent()) {
        parents.add(parent);
      }
    }
    // deepest first, so a folder emptied by deleting its empty children goes too
    for (Path folder : parents.descendingSet()) {
      try {
        if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
          try (var children = Files.list(folder)) {
            if (children.findAny().isEmpty()) {
              Files.delete(folder);
            }
          }
        }
      } catch (NoSuchFileException | DirectoryNotEmptyException e) {
        // gone already, or filled again by a run: leave it
      }
    }
    return failed;
  }

  @Override
  public boolean throughLink(String relative) {
    Path current = root;
    for (String part : relative.split("/")) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Hadoop's local file system keeps a checksum beside each file it writes ({@code .name.crc}): it
   * belongs to that file, is not listed on its own and goes with it.
   */
  private static boolean isChecksum(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".")
        && name.endsWith(".crc")
        && Files.exists(
            file.resolveSibling(name.substring(1, name.length() - 4)), LinkOption.NOFOLLOW_LINKS);
  }

  private static Path checksumOf(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".crc");
  }

  private Path resolve(String relative) {
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IllegalArgumentException("not under the export root " + root + ": " + relative);
    }
    return file;
  }

  private String relative(Path file) {
    return root.relativize(file).toString().replace(File.separatorChar, '/');
  }
}
