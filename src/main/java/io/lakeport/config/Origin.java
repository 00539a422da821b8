package io.lakeport.config;

import static java.util.Objects.requireNonNull;

/**
 * Where a setting came from: the file and line of a job file (or {@code --param}), and the
 * setting's path, so that every error can point back at what the user wrote.
 */
public record Origin(String file, int line, String path) {
  public Origin {
    requireNonNull(file, "file is null");
    requireNonNull(path, "path is null");
  }

  /**
   * Renders as {@code file:line: path} (without parts that are unknown), the prefix of every config
   * error.
   */
  public String describe() {
    String where = line > 0 ? file + ":" + line : file;
    return path.isEmpty() ? where : where + ": " + path;
  }

  public Origin child(String key) {
    return new Origin(file, line, path.isEmpty() ? key : path + "." + key);
  }
}
