package io.lakeport.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Job parts shared through templates: {@code extends = "templates/daily-parquet.conf"} at the top
 * of a job file puts that file under it (what the job says wins, key by key, as HOCON's fallback
 * merges objects), and a template may extend another. The path is relative to the file that names
 * it and must stay inside the job file's folder or Lakeport's {@code jobs/} folder; a loop, a chain
 * deeper than {@link #MAX_DEPTH} or a missing file is a problem at the {@code extends} line. Every
 * value keeps the file and line it came from, so a mistake in a template is reported there.
 */
public final class Templates {
  static final String EXTENDS = "extends";

  /** The folder of templates in a jobs folder, which {@code lakeport templates list} reads. */
  public static final String FOLDER = "templates";

  static final int MAX_DEPTH = 10;

  private Templates() {}

  /**
   * A template in a jobs folder's {@code templates/}: its name (the file's, without {@code .conf}),
   * its file, its {@code description} and the template it extends, as written; or why it cannot be
   * read.
   */
  public record Template(
      String name,
      Path file,
      Optional<String> description,
      Optional<String> extendsTemplate,
      Optional<String> problem) {}

  /** The templates in {@code <jobsFolder>/templates/}, by name; none without the folder. */
  public static List<Template> in(Path jobsFolder) {
    Path folder = jobsFolder.resolve(FOLDER);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<Template> templates = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.conf$", "");
        try {
          Config config = Loading.parse(file, JobLoader.display(file));
          templates.add(
              new Template(
                  name,
                  file,
                  text(config, "description"),
                  text(config, EXTENDS),
                  Optional.empty()));
        } catch (JobConfigException e) {
          templates.add(
              new Template(
                  name,
                  file,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(e.problems().get(0).message())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the templates in " + folder, e);
    }
    return templates;
  }

  private static Optional<String> text(Config config, String key) {
    return config.hasPath(key) && config.getValue(key).valueType() == ConfigValueType.STRING
        ? Optional.of(config.getString(key))
        : Optional.empty();
  }

  /** The job file with the templates it extends merged under it; {@code extends} removed. */
  static Config merged(Path file, String display, Path jobsFolder) {
    Path job = file.toAbsolutePath().normalize();
    List<Path> roots = List.of(job.getParent(), jobsFolder.toAbsolutePath().normalize());
    List<Path> chain = new ArrayList<>(List.of(job));
    return extend(Loading.parse(file, display), job, display, roots, chain);
  }

  private static Config extend(
      Config config, Path file, String display, List<Path> roots, List<Path> chain) {
    if (!config.hasPath(EXTENDS)) {
      return config;
    }
    ConfigValue value = config.getValue(EXTENDS);
    Origin origin = new Origin(display, value.origin().lineNumber(), EXTENDS);
    if (value.valueType() != ConfigValueType.STRING) {
      throw problem(
          origin,
          "expected the path of a template file, found " + value.valueType().name().toLowerCase(),
          "Write extends = \"templates/<name>.conf\" (relative to this file).");
    }
    String name = (String) value.unwrapped();
    Path template;
    try {
      template = file.getParent().resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw problem(origin, "\"" + name + "\" is not a path", "Write templates/<name>.conf.");
    }
    if (!name.endsWith(".conf") || roots.stream().noneMatch(template::startsWith)) {
      throw problem(
          origin,
          "extends = \"" + name + "\" is not a .conf file in the jobs folder",
          "Keep templates in jobs/templates/ and name them relative to this file, e.g."
              + " extends = \"templates/daily-parquet.conf\".");
    }
    if (chain.contains(template)) {
      chain.add(template);
      throw problem(
          origin,
          "template loop: "
              + chain.stream().map(JobLoader::display).collect(Collectors.joining(" extends ")),
          "Remove the extends that leads back to a file already extended.");
    }
    if (chain.size() > MAX_DEPTH) {
      throw problem(
          origin,
          "templates extend each other more than " + MAX_DEPTH + " deep",
          "Merge some of the templates into one.");
    }
    if (!Files.isRegularFile(template)) {
      throw problem(
          origin,
          "template " + JobLoader.display(template) + " not found",
          "lakeport templates list shows the templates in jobs/templates/.");
    }
    chain.add(template);
    String templateDisplay = JobLoader.display(template);
    Config parent =
        extend(Loading.parse(template, templateDisplay), template, templateDisplay, roots, chain);
    return config.withoutPath(EXTENDS).withFallback(parent);
  }

  private static JobConfigException problem(Origin origin, String problem, String fix) {
    return new JobConfigException(List.of(new ConfigProblem(origin, problem, fix)));
  }
}
