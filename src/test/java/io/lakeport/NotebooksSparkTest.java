package io.lakeport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.lakeport.demo.DemoData;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every code cell of every notebook in {@code notebooks/}, in order, as the JJava kernel would run
 * it: JJava evaluates cells with JShell, which this test does too, in this JVM ({@code
 * executionEngine("local")}) with the test class path, so the cells use the shared Spark session
 * and the built classes. (The kernel itself cannot be installed on the build machines.) A {@code
 * %maven} line, a kernel magic, must name a dependency that is on the class path; any rejected
 * snippet, unresolved name or exception fails the test. The cells run in a temporary Lakeport home
 * with the example jobs and the demo tables; charts must come out as pictures with something drawn
 * on them. With {@code -Dnotebooks.record=true} it writes what each cell printed, its value and its
 * picture back into the notebook as the cell's outputs (the temporary home shown as {@code
 * $LAKEPORT_HOME}), so that the committed notebooks render with a demo run's outputs.
 */
class NotebooksSparkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final boolean RECORD = Boolean.getBoolean("notebooks.record");

  @TempDir Path home;

  @Test
  void everyCellOfEveryNotebookRuns() throws Exception {
    DemoData.createIfAbsent(TestSpark.session(), home.resolve("data/warehouse").toString());
    copy(Path.of("jobs"), home.resolve("jobs"));
    copy(Path.of("conf"), home.resolve("conf"));
    List<Path> notebooks;
    try (Stream<Path> files = Files.list(Path.of("notebooks"))) {
      notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertThat(notebooks)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("01-explore-a-job.ipynb", "02-inspect-exports.ipynb");

    String previousHome = System.getProperty("lakeport.home");
    System.setProperty("lakeport.home", home.toString());
    ConfigFactory.invalidateCaches();
    int pictures = 0;
    try {
      for (Path notebook : notebooks) {
        pictures += run(notebook, home);
      }
    } finally {
      System.setProperty("lakeport.home", previousHome == null ? "." : previousHome);
      // Site reads -Dlakeport.* through HOCON, which caches the system properties
      ConfigFactory.invalidateCaches();
    }
    assertThat(pictures).as("charts drawn by 02-inspect-exports").isEqualTo(3);
    assertThat(home.resolve("data/scratch/anomalies-daily/_lakeport")).isDirectory();
  }

  /**
   * Runs a notebook's code cells in a fresh JShell; returns how many cells ended in a picture. When
   * recording, writes each cell's outputs back into the notebook.
   */
  private static int run(Path notebook, Path home) throws IOException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream printed = new PrintStream(output, true, StandardCharsets.UTF_8);
    PrintStream console = System.out;
    JsonNode document = JSON.readTree(notebook.toFile());
    int pictures = 0;
    System.setOut(printed);
    try (JShell shell =
        JShell.builder().executionEngine("local").out(printed).err(printed).build()) {
      for (String entry : classPath()) {
        shell.addToClasspath(entry);
      }
      int cell = 0;
      for (JsonNode node : document.get("cells")) {
        if (!node.get("cell_type").asText().equals("code")) {
          continue;
        }
        cell++;
        StringBuilder source = new StringBuilder();
        node.get("source").forEach(line -> source.append(line.asText()));
        String where = notebook.getFileName() + " code cell " + cell;
        int before = output.size();
        List<SnippetEvent> events =
            evaluate(shell, withoutMagics(source.toString(), where), where, output);
        String text = printedSince(output, before);
        SnippetEvent last = events.get(events.size() - 1);
        Optional<String> picture = Optional.empty();
        if (last.snippet() instanceof VarSnippet value
            && value.typeName().endsWith("BufferedImage")) {
          assertPicture(shell, value, where, output);
          picture = Optional.of(png(shell, value, where, output));
          pictures++;
        }
        if (RECORD) {
          Outputs.record((ObjectNode) node, cell, text, shown(last), picture, home);
        }
      }
    } finally {
      System.setOut(console);
    }
    if (RECORD) {
      Files.writeString(
          notebook,
          JSON.writer(new NotebookPrinter()).writeValueAsString(document) + "\n",
          StandardCharsets.UTF_8);
    }
    return pictures;
  }

  private static String printedSince(ByteArrayOutputStream output, int before) {
    byte[] all = output.toByteArray();
    return new String(all, before, all.length - before, StandardCharsets.UTF_8);
  }

  /** The value a kernel shows for the cell: that of a closing expression, not of a declaration. */
  private static Optional<String> shown(SnippetEvent last) {
    boolean expression =
        last.snippet() instanceof ExpressionSnippet
            || (last.snippet() instanceof VarSnippet var && var.name().startsWith("$"));
    String value = last.value();
    return expression && value != null && !value.isEmpty() ? Optional.of(value) : Optional.empty();
  }

  /** The picture as base64 PNG, encoded in the shell that holds it. */
  private static String png(
      JShell shell, VarSnippet image, String where, ByteArrayOutputStream output) {
    String encode =
        "((java.util.function.Supplier<String>) () -> { var bytes = new java.io.ByteArrayOutputStream();"
            + " try { javax.imageio.ImageIO.write("
            + image.name()
            + ", \"png\", bytes); } catch (java.io.IOException e) { throw new"
            + " java.io.UncheckedIOException(e); }"
            + " return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray()); }).get()";
    List<SnippetEvent> events = evaluate(shell, encode, where + " (picture as PNG)", output);
    String quoted = events.get(events.size() - 1).value();
    return quoted.substring(1, quoted.length() - 1);
  }

  private static List<SnippetEvent> evaluate(
      JShell shell, String source, String where, ByteArrayOutputStream output) {
    List<SnippetEvent> all = new ArrayList<>();
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = source;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      assertThat(info.completeness().isComplete())
          .as("%s: incomplete source: %s", where, remaining)
          .isTrue();
      for (SnippetEvent event : shell.eval(info.source())) {
        String snippet = info.source().strip();
        if (event.status() == Snippet.Status.REJECTED) {
          StringBuilder problems = new StringBuilder();
          shell
              .diagnostics(event.snippet())
              .forEach(d -> problems.append("\n  ").append(d.getMessage(null)));
          throw new AssertionError(where + ": rejected: " + snippet + problems);
        }
        if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
            || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
          throw new AssertionError(where + ": unresolved names in: " + snippet);
        }
        if (event.exception() != null) {
          Throwable e = event.exception();
          String type =
              e instanceof EvalException eval
                  ? eval.getExceptionClassName()
                  : e.getClass().getName();
          throw new AssertionError(
              where
                  + ": "
                  + type
                  + ": "
                  + e.getMessage()
                  + " in: "
                  + snippet
                  + "\noutput:\n"
                  + output.toString(StandardCharsets.UTF_8),
              e);
        }
        all.add(event);
      }
      remaining = info.remaining();
    }
    assertThat(all).as("%s evaluates something", where).isNotEmpty();
    return all;
  }

  /** The picture a chart cell returned has the chart's size and more than a background on it. */
  private static void assertPicture(
      JShell shell, VarSnippet image, String where, ByteArrayOutputStream output) {
    String check =
        "java.util.stream.IntStream.range(0, "
            + image.name()
            + ".getWidth() * "
            + image.name()
            + ".getHeight()).map(i -> "
            + image.name()
            + ".getRGB(i % "
            + image.name()
            + ".getWidth(), i / "
            + image.name()
            + ".getWidth())).distinct().count() + \" colours, \" + "
            + image.name()
            + ".getWidth() + \"x\" + "
            + image.name()
            + ".getHeight()";
    List<SnippetEvent> events = evaluate(shell, check, where + " (picture check)", output);
    String value = events.get(events.size() - 1).value();
    assertThat(value).as(where).endsWith(" colours, 720x320\"");
    assertThat(Long.parseLong(value.substring(1, value.indexOf(' '))))
        .as(where + " colours")
        .isGreaterThan(10);
  }

  /**
   * The cell without kernel magics; {@code %maven g:a:v} must be on the class path, others are
   * refused.
   */
  private static String withoutMagics(String source, String where) {
    StringBuilder code = new StringBuilder();
    for (String line : source.split("\n", -1)) {
      if (line.startsWith("%maven ")) {
        String[] coordinates = line.substring("%maven ".length()).trim().split(":");
        String jar = coordinates[1] + "-" + coordinates[2] + ".jar";
        assertThat(classPath())
            .as("%s: %s on the test class path", where, line)
            .anySatisfy(entry -> assertThat(entry).endsWith(File.separator + jar));
      } else if (line.startsWith("%")) {
        throw new AssertionError(where + ": a kernel magic this test does not know: " + line);
      } else {
        code.append(line).append('\n');
      }
    }
    return code.toString();
  }

  private static List<String> classPath() {
    String path =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(path.split(File.pathSeparator));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
