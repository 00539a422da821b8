package io.lakeport.sink;

import io.lakeport.config.ExcelOptions;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Made on the driver, serialized to the tasks: opens one {@link ExcelOutputWriter} per output file.
 */
final class ExcelOutputWriterFactory extends OutputWriterFactory {
  private static final long serialVersionUID = 1L;
  private final ExcelSettings settings;

  ExcelOutputWriterFactory(ExcelSettings settings) {
    this.settings = settings;
  }

  @Override
  public String getFileExtension(TaskAttemptContext context) {
    return ".xlsx";
  }

  @Override
  public OutputWriter newInstance(String path, StructType dataSchema, TaskAttemptContext context) {
    return new ExcelOutputWriter(
        path,
        dataSchema,
        context.getConfiguration(),
        settings,
        ExcelOptions.maxDataRows(settings.header()));
  }
}
