package io.lakeport.source;

import io.lakeport.config.EngineMessages;
import io.lakeport.config.SourceSpec;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
    Dataset<Row> data = load(reader, path);
    return new SourceRead(data, Map.of("format", format, "path", path));
  }

  private Dataset<Row> load(DataFrameReader reader, String path) {
    try {
      return reader.load(path);
    } catch (Exception e) {
      if (e instanceof AnalysisException analysis) {
        throw SourceErrors.cannotRead(spec, EngineMessages.summary(analysis.getMessage()),
            "Check source.path and source.format (run bin/lakeport demo to create the demo tables).");
      }
      throw e;
    }
  }
}
