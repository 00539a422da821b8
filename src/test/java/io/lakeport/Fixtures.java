package io.lakeport;

import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Writes job files for tests and loads them the way the CLI does. */
public final class Fixtures {
  private Fixtures() {}

  public static Site site() {
    return Site.load(Optional.empty());
  }

  /**
   * The test site with {@code lakeport.exports} at {@code exports}, as a site file in {@code dir}
   * says: for tests that export elsewhere than the temporary folders (a bucket).
   */
  public static Site site(Path dir, String exports) {
    return Site.load(
        Optional.of(write(dir, "exports-site.conf", "lakeport.exports = \"" + exports + "\"\n")));
  }

  /** Writes {@code hocon} to {@code dir/name.conf} and loads it for a run with {@code params}. */
  public static JobSpec job(Path dir, String hocon, Map<String, String> params) {
    return job(dir, hocon, params, site());
  }

  /** As {@link #job(Path, String, Map)}, with {@code site}'s settings. */
  public static JobSpec job(Path dir, String hocon, Map<String, String> params, Site site) {
    return new JobLoader(site).load(write(dir, "job.conf", hocon), params, JobLoader.Mode.RUN);
  }

  /** How Lakeport shows a job file's path in messages (as JobLoader does). */
  public static String displayed(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }

  /** The {@code .conf} files of a fixture folder, sorted, for parameterized tests. */
  public static List<Path> confFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The exact messages a broken fixture must produce: its {@code # expect: } lines, with {@code
   * {file}} standing for the fixture's path.
   */
  public static List<String> expectedProblems(Path fixture, List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("# expect: "))
        .map(l -> l.substring("# expect: ".length()).replace("{file}", fixture.toString()))
        .toList();
  }

  public static Path write(Path dir, String name, String text) {
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
