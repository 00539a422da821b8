package io.lakeport.sink;

import io.lakeport.config.ConfigProblem;
import io.lakeport.config.EngineMessages;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.SinkSpec;
import io.lakeport.hadoop.ZstdCodec;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Parquet, CSV, JSON-lines, Avro, XML or Excel files, in Hive-style {@code key=value} folders when
 * partitioned. Data is arranged by {@link FileSizing} first, so partition folders get few files of
 * a sensible size instead of one file per task.
 */
final class FileSink implements Sink {
  private static final String UNSUPPORTED_TYPE = "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE";
  private final SinkSpec spec;

  /**
   * Hadoop's setting for the committers' {@code _SUCCESS} marker (S3A's committers honour it too).
   */
  private static final String NO_SUCCESS_MARKER =
      "mapreduce.fileoutputcommitter.marksuccessfuljobs";

  FileSink(SinkSpec spec) {
    this.spec = spec;
  }

  @Override
  public void write(Dataset<Row> data, WriteContext context) {
    DataFrameWriter<Row> writer =
        FileSizing.arrange(data, spec)
            .write()
            .format(sparkFormat())
            .options(spec.options())
            // write tasks measure their files (LakeportCommitProtocol);
            // other committers ignore these
            .option(FileMeasure.FORMAT, spec.format().name())
            .option(FileMeasure.RUN, context.runId())
            // Lakeport writes _SUCCESS itself, after the manifest
            // (the committers' would come first)
            .option(NO_SUCCESS_MARKER, "false");
    spec.compression().ifPresent(codec -> writer.option("compression", sparkCodec(codec)));
    FileSizing.recordsPerFile(spec, context)
        .ifPresent(max -> writer.option("maxRecordsPerFile", max));
    spec.fileName()
        .ifPresent(
            template ->
                writer
                    .option(LakeportCommitProtocol.TEMPLATE, template)
                    .option(LakeportCommitProtocol.JOB, context.job())
                    .option(LakeportCommitProtocol.RUN, context.runId()));
    if (!spec.partitionBy().isEmpty()) {
      writer.partitionBy(spec.partitionBy().toArray(String[]::new));
    }
    switch (context.mode()) {
      case OVERWRITE -> writer.mode(SaveMode.Overwrite).option("partitionOverwriteMode", "static");
      case OVERWRITE_PARTITIONS -> {
        if (onS3(context.path()) && !spec.partitionBy().isEmpty()) {
          replacePartitionsOnS3(writer);
        } else {
          writer.mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic");
        }
      }
      case APPEND -> writer.mode(SaveMode.Append);
      case ERROR_IF_EXISTS -> writer.mode(SaveMode.ErrorIfExists);
    }
    save(writer, spec, context.path());
  }

  private static boolean onS3(String path) {
    String scheme = URI.create(path.replace(" ", "%20")).getScheme();
    return scheme != null && scheme.startsWith("s3");
  }

  /**
   * S3A's magic committer cannot replace partitions (Spark's dynamic overwrite), so this write uses
   * S3A's partitioned staging committer with conflict mode replace: the partitions the job writes
   * are replaced at commit, the others are kept. It stages task output on the cluster file system
   * (fs.s3a.committer.staging.tmp.path), which multi-node clusters must share (HDFS).
   */
  private static void replacePartitionsOnS3(DataFrameWriter<Row> writer) {
    writer
        .mode(SaveMode.Append)
        .option("fs.s3a.committer.name", "partitioned")
        .option("fs.s3a.committer.staging.conflict-mode", "replace");
  }

  /** The data source Spark writes with: its own, or Lakeport's for Excel. */
  private String sparkFormat() {
    return switch (spec.format()) {
      case EXCEL -> ExcelFileFormat.class.getName();
      case PARQUET, CSV, JSON, AVRO, XML, DELTA -> spec.format().name().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * Spark's name for a codec: Avro spells "none" and "zstd" its own way, and text formats get zstd
   * from Lakeport's codec (Spark has none for them without the native Hadoop library).
   */
  private String sparkCodec(String codec) {
    return switch (spec.format()) {
      case AVRO ->
          codec.equals("none") ? "uncompressed" : codec.equals("zstd") ? "zstandard" : codec;
      case CSV, JSON, XML -> codec.equals("zstd") ? ZstdCodec.class.getName() : codec;
      case PARQUET, DELTA, EXCEL -> codec;
    };
  }

  /**
   * Saves to {@code path}; a refusal by Spark (path exists, bad option) is a problem of the sink's
   * job line.
   */
  static void save(DataFrameWriter<Row> writer, SinkSpec spec, String path) {
    try {
      writer.save(path);
    } catch (Exception e) {
      if (e instanceof AnalysisException analysis) {
        throw new JobConfigException(
            List.of(
                new ConfigProblem(
                    spec.origin(),
                    "cannot write "
                        + spec.path()
                        + ": "
                        + EngineMessages.summary(analysis.getMessage()),
                    fix(analysis))));
      }
      throw e;
    }
  }

  private static String fix(AnalysisException refusal) {
    return UNSUPPORTED_TYPE.equals(refusal.getCondition())
        ? "Convert the column in plan.derive (e.g. to_json(column) or concat_ws(',', column)), or leave it out with "
            + "plan.select.exclude."
        : "Choose another path, or set sink.mode to overwrite-partitions, overwrite or append.";
  }
}
