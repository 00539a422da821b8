package io.lakeport.sink;

import io.delta.tables.DeltaTable;
import io.lakeport.config.SinkSpec;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta table at a path: append, overwrite, overwrite of the partitions written, or of the rows
 * matching {@code replace-where}; each run is one Delta commit, changing the table's schema only as
 * the job's {@code schema-drift} policy allows ({@link WriteContext#schemaEvolution()}). Table
 * properties are set after the write when they differ from the table's, so re-runs add no commits
 * for them.
 */
final class DeltaSink implements Sink {
  private final SinkSpec spec;

  DeltaSink(SinkSpec spec) {
    this.spec = spec;
  }

  @Override
  public void write(Dataset<Row> data, WriteContext context) {
    Dataset<Row> arranged =
        spec.targetFileSize().isPresent() ? FileSizing.arrange(data, spec) : data;
    DataFrameWriter<Row> writer = arranged.write().format("delta").options(spec.options());
    spec.compression().ifPresent(codec -> writer.option("compression", codec));
    FileSizing.recordsPerFile(spec, context)
        .ifPresent(max -> writer.option("maxRecordsPerFile", max));
    if (!spec.partitionBy().isEmpty()) {
      writer.partitionBy(spec.partitionBy().toArray(String[]::new));
    }
    switch (context.mode()) {
      case OVERWRITE -> writer.mode(SaveMode.Overwrite);
      case OVERWRITE_PARTITIONS ->
          writer.mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic");
      case APPEND -> writer.mode(SaveMode.Append);
      case ERROR_IF_EXISTS -> writer.mode(SaveMode.ErrorIfExists);
    }
    context.replaceWhere().ifPresent(condition -> writer.option("replaceWhere", condition));
    switch (context.schemaEvolution()) {
      case KEEP -> {}
      case MERGE -> writer.option("mergeSchema", "true");
      case REPLACE -> writer.option("overwriteSchema", "true");
    }
    FileSink.save(writer, spec, context.path());
    setTableProperties(data.sparkSession());
  }

  private void setTableProperties(SparkSession spark) {
    if (spec.tableProperties().isEmpty()) {
      return;
    }
    Map<String, String> current =
        DeltaTable.forPath(spark, spec.path()).detail().select("properties").head().getJavaMap(0);
    boolean same =
        spec.tableProperties().entrySet().stream()
            .allMatch(e -> e.getValue().equals(current.get(e.getKey())));
    if (!same) {
      String properties =
          spec.tableProperties().entrySet().stream()
              .map(e -> quote(e.getKey()) + " = " + quote(e.getValue()))
              .collect(Collectors.joining(", "));
      spark.sql(
          "ALTER TABLE delta.`"
              + spec.path().replace("`", "``")
              + "` SET TBLPROPERTIES ("
              + properties
              + ")");
    }
  }

  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
