package io.lakeport.airflow;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python text every DAG file is written from: the built-in one, or the site's ({@code
 * lakeport.airflow.dags.template}). Its placeholders ({@code @@TASK@@} and the like, see {@link
 * Block}) each stand alone on a line and are replaced by generated lines indented as the
 * placeholder is; an empty block removes its line. {@code @@} is not valid Python, so a placeholder
 * left over would not compile; unknown ones are refused with the template's line.
 */
final class DagTemplate {
  /** The setting that names a template of the site's own. */
  static final String SETTING = "lakeport.airflow.dags.template";

  private static final String BUILT_IN = "/io/lakeport/airflow/dag.py.template";
  private static final Pattern PLACEHOLDER = Pattern.compile("@@([A-Za-z_]*)@@");

  /** What a template's placeholders are replaced with. */
  enum Block {
    /** The comment that says where the file comes from, and the DAG's docstring. */
    HEADER,
    /** The imports, Airflow 2 and 3 alike. */
    IMPORTS,
    /** Functions the DAG uses (the run_date macro); may be empty. */
    DEFINITIONS,
    /** The keyword arguments of {@code DAG(...)}, one a line, each ending in a comma. */
    DAG_ARGUMENTS,
    /** The export task, assigned to {@code lakeport_task} so a template can add tasks around it. */
    TASK
  }

  private final List<String> lines;
  private final String display;

  private DagTemplate(List<String> lines, String display) {
    this.lines = List.copyOf(lines);
    this.display = display;
  }

  /** The built-in template. */
  static DagTemplate builtIn() {
    return parse(builtInText(), BUILT_IN);
  }

  static String builtInText() {
    try (InputStream in = DagTemplate.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException("the built-in DAG template is missing: " + BUILT_IN);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The template in {@code file}, checked: every placeholder known, alone, the required ones
   * present.
   */
  static DagTemplate read(Path file, String display) {
    if (!Files.isRegularFile(file)) {
      throw new JobConfigException(
          List.of(
              new ConfigProblem(
                  new Origin(SETTING, 0, ""),
                  "no DAG template at \"" + display + "\"",
                  "Name an existing file (a relative path is read from Lakeport's home), or null"
                      + " for the built-in template (`lakeport airflow template` prints it).")));
    }
    try {
      return parse(Files.readString(file), display);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the DAG template " + display, e);
    }
  }

  static DagTemplate parse(String text, String display) {
    List<String> lines = Arrays.asList(text.split("\n", -1));
    List<ConfigProblem> problems = new ArrayList<>();
    List<Block> seen = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher matcher = PLACEHOLDER.matcher(lines.get(i));
      while (matcher.find()) {
        Origin origin = new Origin(display, i + 1, "");
        Block block = block(matcher.group(1));
        if (block == null) {
          problems.add(
              new ConfigProblem(
                  origin,
                  "unknown placeholder " + matcher.group(),
                  "Expected one of: " + names() + "."));
        } else if (!lines.get(i).strip().equals(matcher.group())) {
          problems.add(
              new ConfigProblem(
                  origin,
                  "placeholder " + matcher.group() + " must stand alone on its line",
                  "Put it on a line of its own, indented as its lines should be."));
        } else {
          seen.add(block);
        }
      }
    }
    for (Block required : List.of(Block.DAG_ARGUMENTS, Block.TASK)) {
      if (!seen.contains(required)) {
        problems.add(
            new ConfigProblem(
                new Origin(display, 0, ""),
                "has no @@" + required + "@@ line",
                "Add it where the generated " + describe(required) + " belong."));
      }
    }
    if (!problems.isEmpty()) {
      throw new JobConfigException(problems);
    }
    return new DagTemplate(lines, display);
  }

  /** The template with every placeholder replaced by its block. */
  String fill(Map<Block, String> blocks) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher matcher = PLACEHOLDER.matcher(line);
      if (matcher.find()) {
        String indent = line.substring(0, line.indexOf("@@"));
        String block = blocks.getOrDefault(Block.valueOf(matcher.group(1)), "");
        block.lines().forEach(l -> text.append(l.isEmpty() ? "" : indent + l).append('\n'));
      } else {
        text.append(line);
        if (i < lines.size() - 1) {
          text.append('\n');
        }
      }
    }
    return text.toString();
  }

  String display() {
    return display;
  }

  private static Block block(String name) {
    for (Block block : Block.values()) {
      if (block.name().equals(name)) {
        return block;
      }
    }
    return null;
  }

  private static String names() {
    return String.join(", ", Arrays.stream(Block.values()).map(b -> "@@" + b + "@@").toList());
  }

  private static String describe(Block block) {
    return switch (block) {
      case HEADER -> "header";
      case IMPORTS -> "imports";
      case DEFINITIONS -> "functions";
      case DAG_ARGUMENTS -> "DAG(...) arguments";
      case TASK -> "export task lines";
    };
  }
}
