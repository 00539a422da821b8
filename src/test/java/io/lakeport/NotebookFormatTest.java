package io.lakeport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every notebook in {@code notebooks/} is valid nbformat 4.5 (the vendored schema in {@code
 * src/test/resources/nbformat}: cells have ids, unique within the notebook), and is committed with
 * the outputs of a demo run, charts included, so that it renders on a code host (NotebooksSparkTest
 * with {@code -Dnotebooks.record=true} records them).
 */
class NotebookFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCHEMA =
      Path.of("src/test/resources/nbformat/nbformat.v4.5.schema.json");

  /** Keeps the notebooks light enough to render: no single output over this size. */
  private static final int MAX_OUTPUT_BYTES = 200_000;

  @Test
  void everyNotebookIsValidNbformat45WithUniqueCellIds() throws IOException {
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(Files.readString(SCHEMA));
    for (Path notebook : notebooks()) {
      JsonNode document = JSON.readTree(notebook.toFile());

      assertThat(schema.validate(document)).as("%s against nbformat 4.5", notebook).isEmpty();
      assertThat(document.get("nbformat").asInt()).isEqualTo(4);
      assertThat(document.get("nbformat_minor").asInt()).isEqualTo(5);
      List<String> ids = new ArrayList<>();
      document.get("cells").forEach(cell -> ids.add(cell.path("id").asText()));
      assertThat(ids).as("%s cell ids", notebook).doesNotHaveDuplicates();
      assertThat(ids).allSatisfy(id -> assertThat(id).matches("^[a-zA-Z0-9-_]{1,64}$"));
    }
  }

  @Test
  void everyNotebookIsCommittedWithTheOutputsOfARun() throws IOException {
    int pictures = 0;
    for (Path notebook : notebooks()) {
      for (JsonNode cell : JSON.readTree(notebook.toFile()).get("cells")) {
        if (!cell.get("cell_type").asText().equals("code")) {
          continue;
        }
        assertThat(cell.get("execution_count").isInt())
            .as("%s cell %s was run", notebook, cell.get("id"))
            .isTrue();
        for (JsonNode output : cell.get("outputs")) {
          assertThat(output.toString().length()).isLessThan(MAX_OUTPUT_BYTES);
          if (output.path("data").has("image/png")) {
            pictures++;
          }
        }
      }
    }
    assertThat(pictures).as("charts of 02-inspect-exports").isEqualTo(3);
  }

  private static List<Path> notebooks() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("notebooks"))) {
      List<Path> notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
      assertThat(notebooks).hasSize(2);
      return notebooks;
    }
  }
}
