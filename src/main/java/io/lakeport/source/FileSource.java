package io.lakeport.source;

import io.lakeport.config.EngineMessages;
import io.lakeport.config.SourceFormat;
import io.lakeport.config.SourceSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Parquet, CSV, JSON-lines, Avro or XML files under a path (any Hadoop file system URI). */
final class FileSource implements Source {
  private final SourceSpec spec;

  FileSource(SourceSpec spec) {
    this.spec = spec;
  }

  @Override
  public SourceRead read(SparkSession spark) {
    String format = spec.format().name().toLowerCase(Locale.ROOT);
    DataFrameReader reader = spark.read().format(format).options(spec.options());
    spec.schema().ifPresent(reader::schema);
    String path = spec.path().orElseThrow();
    boolean text = spec.format() == SourceFormat.CSV || spec.format() == SourceFormat.JSON;
    if (text) {
      reader.option("columnNameOfCorruptRecord", SourceRead.MALFORMED);
    }
    Dataset<Row> data = load(reader, path);
    if (text) {
      data = keepMalformed(reader, data.schema(), path);
    }
    return new SourceRead(
        data, Map.of("format", format, "path", path), SourceRead.Stability.PINNED);
  }

  /**
   * Reads again with the schema found (given or inferred) plus {@link SourceRead#MALFORMED}, in
   * Spark's permissive mode: a record that does not fit the schema keeps its raw text there instead
   * of being dropped or failing the run.
   */
  private Dataset<Row> keepMalformed(DataFrameReader reader, StructType found, String path) {
    StructType schema = found;
    if (!Arrays.asList(found.fieldNames()).contains(SourceRead.MALFORMED)) {
      schema = found.add(SourceRead.MALFORMED, DataTypes.StringType, true);
    }
    return load(
        reader
            .schema(schema)
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", SourceRead.MALFORMED),
        path);
  }

  private Dataset<Row> load(DataFrameReader reader, String path) {
    try {
      return reader.load(path);
    } catch (Exception e) {
      if (e instanceof AnalysisException analysis) {
        throw SourceErrors.cannotRead(
            spec,
            EngineMessages.summary(analysis.getMessage()),
            "Check source.path and source.format (run bin/lakeport demo to create the demo tables).");
      }
      throw e;
    }
  }
}
