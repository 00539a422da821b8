package io.lakeport.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses job files and turns the HOCON library's exceptions into problems that point at the file
 * and line.
 */
final class Loading {
  /** The files in the library's trace of nested includes. */
  private static final Pattern INCLUDED = Pattern.compile("ParseableFile\\(([^)]*)\\)");

  private static final Pattern INCLUDE = Pattern.compile("^\\s*include\\b.*");

  /** The largest job file read; job files are a few kilobytes. */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  /** How the library says that substitutions refer to each other. */
  private static final String CYCLE = "was part of a cycle of substitutions involving ";

  private Loading() {}

  /**
   * Parses the job file {@code file}, shown as {@code display}: refused when it is missing, larger
   * than {@link #MAX_FILE_BYTES} or not HOCON.
   */
  static Config parse(Path file, String display) {
    if (!Files.isRegularFile(file)) {
      throw fileProblem(
          display,
          "job file not found",
          "Check the path; job files live in jobs/ and end in .conf.");
    }
    String text;
    try {
      long bytes = Files.size(file);
      if (bytes > MAX_FILE_BYTES) {
        throw fileProblem(
            display,
            "job file is " + bytes + " bytes, more than the limit of " + MAX_FILE_BYTES,
            "A job file is a few kilobytes; check that this is the job file you meant.");
      }
      text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw fileProblem(display, "cannot read the job file: " + e.getMessage(), "");
    }
    try {
      // absolute, so that includes are found next to the job file
      return ConfigFactory.parseFile(
          file.toAbsolutePath().toFile(),
          ConfigParseOptions.defaults().setAllowMissing(false).setOriginDescription(display));
    } catch (ConfigException e) {
      throw new JobConfigException(List.of(problemOf(e, display, text)));
    }
  }

  private static JobConfigException fileProblem(String display, String problem, String fix) {
    return new JobConfigException(
        List.of(new ConfigProblem(new Origin(display, -1, ""), problem, fix)));
  }

  /**
   * A problem of parsing the job file {@code display} whose text is {@code text}: as {@link
   * #problemOf(ConfigException)}, but a bracket never closed is shown at the line that opens it and
   * an include loop at the job's include, naming the files.
   */
  static ConfigProblem problemOf(ConfigException e, String display, String text) {
    String message = e.getMessage();
    if (e instanceof ConfigException.Parse && message.contains("include statements nested")) {
      return includeLoop(message, text, display);
    }
    boolean inJobFile = e.origin() == null || Section.fileOf(e.origin()).equals(display);
    if (e instanceof ConfigException.Parse
        && inJobFile
        && (message.contains("end of file") || message.contains(": List should"))) {
      return Brackets.unclosed(text)
          .map(
              opener ->
                  new ConfigProblem(
                      new Origin(display, opener.line(), ""),
                      "syntax error: the \"" + opener.bracket() + "\" on this line is never closed",
                      "Add the \""
                          + opener.closer()
                          + "\" that ends it (or one that ends a "
                          + (opener.bracket() == '{' ? "block" : "list")
                          + " inside it)."))
          .orElseGet(() -> problemOf(e));
    }
    return problemOf(e);
  }

  private static ConfigProblem includeLoop(String message, String text, String display) {
    Set<String> files = new TreeSet<>();
    int count = 0;
    Matcher included = INCLUDED.matcher(message);
    while (included.find()) {
      files.add(JobLoader.display(Path.of(included.group(1))));
      count++;
    }
    List<String> lines = text.lines().toList();
    int line = -1;
    for (int i = 0; i < lines.size() && line < 0; i++) {
      if (INCLUDE.matcher(lines.get(i)).matches()) {
        line = i + 1;
      }
    }
    boolean loop = files.size() < count;
    String problem =
        !loop
            ? "includes are nested more than 50 deep"
            : "include loop: " + String.join(" and ", files) + circle(files.size());
    return new ConfigProblem(
        new Origin(display, line, ""),
        problem,
        "Remove the include that leads back to a file already included.");
  }

  static ConfigProblem problemOf(ConfigException e) {
    ConfigOrigin origin = e.origin();
    String file = origin == null ? "<config>" : Section.fileOf(origin);
    int line = origin == null ? -1 : origin.lineNumber();
    String message = stripOrigin(e.getMessage(), origin);
    int cycle = message.indexOf(CYCLE);
    if (e instanceof ConfigException.UnresolvedSubstitution && cycle >= 0) {
      return new ConfigProblem(
          new Origin(file, line, substitution(message)),
          "these substitutions refer to each other in a circle: "
              + message.substring(cycle + CYCLE.length()),
          "Give one of them a value of its own.");
    }
    if (e instanceof ConfigException.UnresolvedSubstitution) {
      return new ConfigProblem(
          new Origin(file, line, substitution(message)),
          "nothing defines this substitution",
          "Define it in params (and pass --param), or set it in conf/application.conf.");
    }
    if (e instanceof ConfigException.Parse) {
      return new ConfigProblem(
          new Origin(file, line, ""),
          "syntax error: " + firstSentence(message),
          syntaxFix(message));
    }
    return new ConfigProblem(new Origin(file, line, ""), message, "");
  }

  private static String circle(int files) {
    return switch (files) {
      case 1 -> " includes itself";
      case 2 -> " include each other";
      default -> " include one another in a circle";
    };
  }

  private static String syntaxFix(String message) {
    if (message.contains("got '='")) {
      return "Quote text that contains '=', e.g. path = ${lakeport.exports}\"/daily/dt=\"${params.run_date}.";
    }
    if (message.contains("got ':'")) {
      return "Quote text that contains ':', e.g. run-time = \"02:30\".";
    }
    if (message.contains("include keyword")) {
      return "\"include\" is a HOCON keyword; quote it as a key (\"include\" = ...).";
    }
    return "Fix the HOCON syntax.";
  }

  private static String firstSentence(String message) {
    int paren = message.indexOf(" (if you intended");
    return paren > 0 ? message.substring(0, paren) : message;
  }

  private static String stripOrigin(String message, ConfigOrigin origin) {
    if (origin != null && message.startsWith(origin.description() + ": ")) {
      return message.substring(origin.description().length() + 2);
    }
    return message;
  }

  private static String substitution(String message) {
    int start = message.indexOf("${");
    int end = message.indexOf('}', start);
    return start >= 0 && end > start ? message.substring(start, end + 1) : message;
  }
}
