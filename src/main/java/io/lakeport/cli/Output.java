package io.lakeport.cli;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code -o, --output=text|json} option of the commands that report something: text for people
 * (the default), or one JSON document on stdout for scripts, in the shapes of docs/json/. Progress,
 * warnings and failures stay on stderr either way.
 */
final class Output {
  /** How a command prints what it reports. */
  enum Format {
    /** Lines and tables for people. */
    TEXT,
    /** One JSON document (see docs/JSON-OUTPUT.md). */
    JSON
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = FormatConverter.class,
      description =
          "text (default) or json: one JSON document on stdout, as docs/json/<command>.schema.json"
              + " describes it.")
  Format format = Format.TEXT;

  boolean json() {
    return format == Format.JSON;
  }

  /** Prints {@code document} as the command's one JSON document. */
  static void print(PrintWriter out, Object document) {
    out.println(JsonDocument.write(document));
    out.flush();
  }

  /** {@code text} or {@code json}, in any case. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "text" -> Format.TEXT;
        case "json" -> Format.JSON;
        default -> throw new TypeConversionException("expected text or json, not '" + value + "'");
      };
    }
  }
}
