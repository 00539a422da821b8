package io.lakeport.sink;

import io.lakeport.config.ExcelOptions;
import java.time.ZoneId;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.mapreduce.Job;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.FileFormat;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.immutable.Map;
import scala.collection.immutable.Seq;

/**
 * Excel ({@code .xlsx}) as a Spark file data source, so Excel exports take Spark's own write path:
 * commit protocol, dynamic partition overwrite, {@code maxRecordsPerFile}, Lakeport's file-name
 * templates and the S3A committers. Each output file is one workbook with one sheet, streamed by
 * the task that writes it (no spark-excel build fits Spark 4.1, and rows never go to the driver).
 *
 * <p>Write only. Columns must be text, numbers, booleans, dates or timestamps; Spark refuses other
 * types before writing. Lakeport's job loader passes every option of {@link ExcelOptions}.
 */
public final class ExcelFileFormat implements FileFormat, DataSourceRegister {
  /** The name under which Spark finds this source ({@code format("lakeport-excel")}). */
  public static final String SHORT_NAME = "lakeport-excel";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public Option<StructType> inferSchema(
      SparkSession spark, Map<String, String> options, Seq<FileStatus> files) {
    throw new UnsupportedOperationException(
        "Cannot read Excel files: Lakeport writes Excel but does not read it; "
            + "read the export in another format, or export to Parquet or CSV as well");
  }

  @Override
  public OutputWriterFactory prepareWrite(
      SparkSession spark, Job job, Map<String, String> options, StructType dataSchema) {
    ZoneId zone = ZoneId.of(spark.sessionState().conf().sessionLocalTimeZone());
    return new ExcelOutputWriterFactory(
        new ExcelSettings(
            required(options, ExcelOptions.SHEET_NAME),
            Boolean.parseBoolean(required(options, ExcelOptions.HEADER)),
            Boolean.parseBoolean(required(options, ExcelOptions.FREEZE_HEADER)),
            Boolean.parseBoolean(required(options, ExcelOptions.AUTO_FILTER)),
            required(options, ExcelOptions.DATE_FORMAT),
            required(options, ExcelOptions.TIMESTAMP_FORMAT),
            zone));
  }

  @Override
  public boolean supportDataType(DataType type) {
    return ExcelCells.supports(type);
  }

  private static String required(Map<String, String> options, String name) {
    Option<String> value = options.get(name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot write Excel files: option "
              + name
              + " is missing. Pass every option "
              + "of io.lakeport.config.ExcelOptions (Lakeport's job loader does).");
    }
    return value.get();
  }

  /** How Spark names this source in its messages ("The Excel datasource doesn't support ..."). */
  @Override
  public String toString() {
    return "Excel";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExcelFileFormat;
  }

  @Override
  public int hashCode() {
    return ExcelFileFormat.class.hashCode();
  }
}
