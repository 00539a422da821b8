package io.lakeport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A notebook code cell's outputs in nbformat 4 (stream, execute_result with text and PNG), as
 * NotebooksSparkTest records them from a run; the temporary Lakeport home is written as {@code
 * $LAKEPORT_HOME}.
 */
final class Outputs {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Outputs() {}

  static void record(
      ObjectNode cell,
      int count,
      String printed,
      Optional<String> value,
      Optional<String> picture,
      Path home) {
    ArrayNode outputs = NODES.arrayNode();
    if (!printed.isEmpty()) {
      ObjectNode stream = outputs.addObject();
      stream.put("name", "stdout");
      stream.put("output_type", "stream");
      stream.set("text", lines(anonymous(printed, home)));
    }
    if (value.isPresent() || picture.isPresent()) {
      ObjectNode result = outputs.addObject();
      ObjectNode data = result.putObject("data");
      picture.ifPresent(png -> data.put("image/png", png));
      // a picture's value is the image object's toString: say what it is instead
      data.set(
          "text/plain",
          lines(picture.isPresent() ? "a chart (PNG)" : anonymous(value.orElse(""), home)));
      result.put("execution_count", count);
      result.putObject("metadata");
      result.put("output_type", "execute_result");
    }
    cell.put("execution_count", count);
    cell.set("outputs", outputs);
  }

  private static String anonymous(String text, Path home) {
    return text.replace(home.toAbsolutePath().toString(), "$LAKEPORT_HOME")
        .replace(home.toString(), "$LAKEPORT_HOME");
  }

  /** Text as nbformat's list of lines, each but the last ending in a newline. */
  private static ArrayNode lines(String text) {
    ArrayNode lines = NODES.arrayNode();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }
}
