package io.lakeport.run;

import io.lakeport.config.SinkFormat;
import io.lakeport.manifest.OutputFile;
import io.lakeport.sink.FileMeasure;
import io.lakeport.sink.MeasuredFile;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Measures the files of an export that its write tasks could not measure themselves (S3's and
 * Delta's committers), in a Spark job of one task per file on the executors, with {@link
 * FileMeasure}. Only one small record per file comes back to the driver.
 */
final class FileInspector implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String root;
  private final FileMeasure measure;
  private final SerializableConfiguration hadoop;

  FileInspector(String root, SinkFormat format, Map<String, String> options, Configuration hadoop) {
    this.root = root;
    this.measure = new FileMeasure(format, options);
    this.hadoop = new SerializableConfiguration(hadoop);
  }

  List<OutputFile> inspect(SparkSession spark, List<String> relativePaths) {
    if (relativePaths.isEmpty()) {
      return List.of();
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.min(relativePaths.size(), Math.max(1, context.defaultParallelism() * 4));
    return new ArrayList<>(context.parallelize(relativePaths, slices).map(this::inspect).collect());
  }

  OutputFile inspect(String relative) throws IOException {
    return of(measure.measure(new Path(root, relative), relative, hadoop.value()));
  }

  /** A measured file as the manifest records it, with its partition values. */
  static OutputFile of(MeasuredFile file) {
    return new OutputFile(
        file.path(),
        partition(file.path()),
        file.bytes(),
        file.rows(),
        file.sha256(),
        file.uncompressedBytes());
  }

  /** Partition values from Hive-style folders: {@code a=1/b=x/part-0.parquet} gives {a=1, b=x}. */
  static Map<String, String> partition(String relative) {
    Map<String, String> values = new LinkedHashMap<>();
    String[] parts = relative.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        values.put(parts[i].substring(0, eq), unescape(parts[i].substring(eq + 1)));
      }
    }
    return values;
  }

  private static String unescape(String value) {
    return ExternalCatalogUtils.unescapePathName(value);
  }
}
