package io.lakeport;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;

/**
 * JSON as Jupyter writes notebooks (one-space indents, {@code "key": value}, {@code []} and {@code
 * {}} when empty), so that recording outputs changes only the outputs.
 */
final class NotebookPrinter extends DefaultPrettyPrinter {
  private static final long serialVersionUID = 1L;

  NotebookPrinter() {
    DefaultIndenter indenter = new DefaultIndenter(" ", "\n");
    indentObjectsWith(indenter);
    indentArraysWith(indenter);
  }

  @Override
  public DefaultPrettyPrinter createInstance() {
    return new NotebookPrinter();
  }

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator generator) throws IOException {
    generator.writeRaw(": ");
  }

  @Override
  public void writeEndObject(JsonGenerator generator, int entries) throws IOException {
    if (entries == 0) {
      _nesting--;
      generator.writeRaw('}');
      return;
    }
    super.writeEndObject(generator, entries);
  }

  @Override
  public void writeEndArray(JsonGenerator generator, int values) throws IOException {
    if (values == 0) {
      _nesting--;
      generator.writeRaw(']');
      return;
    }
    super.writeEndArray(generator, values);
  }
}
