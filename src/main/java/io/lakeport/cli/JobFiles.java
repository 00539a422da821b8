package io.lakeport.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands command-line job arguments: a folder stands for every {@code *.conf} file in it. */
final class JobFiles {
  private JobFiles() {}

  static List<Path> expand(List<Path> arguments) {
    List<Path> files = new ArrayList<>();
    for (Path argument : arguments) {
      if (Files.isDirectory(argument)) {
        try (Stream<Path> listing = Files.list(argument)) {
          listing.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        files.add(argument);
      }
    }
    return files;
  }
}
