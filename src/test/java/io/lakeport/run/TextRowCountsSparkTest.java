package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.OutputFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole runs to CSV and JSON sinks whose writer options change how records are laid out (line
 * separator, encoding, quoting, header, compression), on values that hold those very separators,
 * quotes and non-ASCII text. Each run must publish, with the source's row count in its manifest and
 * each file's rows as Spark reads the file back with the same options.
 */
class TextRowCountsSparkTest {
  /**
   * Values that trip a naive record count: line breaks of every kind, quotes, delimiters, escapes,
   * non-ASCII text (in UTF-16, U+0A0A and U+010A hold the byte of '\n'), empty and null.
   */
  private static final List<String> NOTES =
      Arrays.asList(
          "plain",
          "two\nlines",
          "carriage\rreturn",
          "windows\r\nline",
          "a \"quoted\" word",
          "comma, inside",
          "ends with a backslash\\",
          "backslash \\\" quote, comma",
          "\"starts with a quote",
          "quote and newline\"\n",
          "a bare 5\" quote mid-value",
          "pipes || and ;",
          "\u00e9t\u00e9 \u00fc \u00df",
          "\u0a0a \u010a \u2603 \ud834\udd1e",
          "",
          null);

  private static final int ROWS = 360;

  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  /**
   * A sink to try: its format and settings as a job writes them, and the same options in Spark's
   * names for reading the files back.
   */
  record Case(String name, String format, String sink, Map<String, String> read) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "csv, CR lines, header",
            "csv",
            "options { line-separator = \"\\r\", header = true }",
            Map.of("lineSep", "\r", "header", "true")),
        new Case(
            "csv, CR LF lines, gzip",
            "csv",
            "compression = gzip, options { line-separator = \"\\r\\n\" }",
            Map.of("lineSep", "\r\n")),
        new Case(
            "csv, UTF-16, header, gzip",
            "csv",
            "compression = gzip, options { encoding = UTF-16, header = true }",
            Map.of("encoding", "UTF-16", "header", "true")),
        new Case(
            "csv, UTF-16LE, CR lines",
            "csv",
            "options { encoding = UTF-16LE, line-separator = \"\\r\" }",
            Map.of("encoding", "UTF-16LE", "lineSep", "\r")),
        new Case(
            "csv, ISO-8859-1, semicolons, header",
            "csv",
            "options { encoding = ISO-8859-1, delimiter = \";\", header = true }",
            Map.of("encoding", "ISO-8859-1", "sep", ";", "header", "true")),
        new Case(
            "csv, doubled quotes, bare inner quotes",
            "csv",
            "options { escape = \"\\\"\", escape-quotes = false, header = true }",
            Map.of("escape", "\"", "header", "true")),
        new Case(
            "csv, quote-all, zstd",
            "csv",
            "compression = zstd, options { quote-all = true }",
            Map.of()),
        new Case(
            "json, CR lines",
            "json",
            "options { line-separator = \"\\r\" }",
            Map.of("lineSep", "\r")),
        new Case(
            "json, multi-character separator, gzip",
            "json",
            "compression = gzip, options { line-separator = \"<EOR>\\n\" }",
            Map.of("lineSep", "<EOR>\n")),
        new Case(
            "json, UTF-16",
            "json",
            "options { encoding = UTF-16 }",
            Map.of("encoding", "UTF-16", "lineSep", "\n")),
        new Case(
            "json, ISO-8859-1",
            "json",
            "options { encoding = ISO-8859-1 }",
            Map.of("encoding", "ISO-8859-1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void publishesTheRowsWrittenWhateverTheLayout(Case sink) throws Exception {
    String source = source();
    Path out = dir.resolve("out");
    String hocon =
        """
        name = text-rows
        source { format = parquet, path = "%s" }
        sink { format = %s, path = "%s", %s }
        """
            .formatted(source, sink.format(), out, sink.sink());

    Manifest m =
        new ExportRunner(spark, Clock.systemUTC())
            .run(Fixtures.job(dir, hocon, Map.of()))
            .manifest();

    assertThat(m.totals().rows()).isEqualTo(spark.read().parquet(source).count()).isEqualTo(ROWS);
    assertThat(m.files()).isNotEmpty();
    long readBack = 0;
    for (OutputFile f : m.files()) {
      Dataset<Row> rows = readBack(sink, out.resolve(f.path()));
      long count = rows.count();
      assertThat(f.rows()).as(f.path()).isEqualTo(count);
      assertThat(rows.where(functions.col("id").isNull()).count())
          .as("rows of %s read back whole", f.path())
          .isZero();
      readBack += count;
    }
    assertThat(readBack).isEqualTo(ROWS);
  }

  /**
   * The file read back by Spark with the sink's options. Spark cannot read JSON lines in UTF-16 (it
   * wants multi-line mode for it), so those are decoded here and split on the separator, and Spark
   * parses each record.
   */
  private Dataset<Row> readBack(Case sink, Path file) throws IOException {
    StructType schema =
        new StructType().add("id", DataTypes.LongType).add("note", DataTypes.StringType);
    if (sink.format().equals("csv")) {
      return spark
          .read()
          .schema(schema)
          .options(sink.read())
          .option("multiLine", "true")
          .option("mode", "FAILFAST")
          .csv(file.toString());
    }
    String text;
    try (InputStream in = open(file)) {
      text =
          new String(
              in.readAllBytes(), Charset.forName(sink.read().getOrDefault("encoding", "UTF-8")));
    }
    List<String> lines = new ArrayList<>();
    for (String line :
        text.split(java.util.regex.Pattern.quote(sink.read().getOrDefault("lineSep", "\n")), -1)) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return spark
        .read()
        .schema(schema)
        .option("mode", "FAILFAST")
        .json(spark.createDataset(lines, Encoders.STRING()));
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    return file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
  }

  /** A Parquet source of {@link #ROWS} rows over two files, cycling through {@link #NOTES}. */
  private String source() {
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < ROWS; id++) {
      rows.add(RowFactory.create(id, NOTES.get((int) (id % NOTES.size()))));
    }
    StructType schema =
        new StructType().add("id", DataTypes.LongType).add("note", DataTypes.StringType);
    String path = dir.resolve("source").toString();
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(path);
    return path;
  }
}
