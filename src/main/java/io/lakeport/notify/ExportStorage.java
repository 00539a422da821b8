package io.lakeport.notify;

import io.lakeport.manifest.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads manifests and exported files where they were written (local, {@code s3a://}, any Hadoop
 * file system), with the Hadoop settings of the site ({@code spark.hadoop.*}), without Spark.
 */
public final class ExportStorage {
  private static final String SPARK_HADOOP = "spark.hadoop.";
  private final Configuration conf = new Configuration();

  public ExportStorage(Map<String, String> sparkSettings) {
    sparkSettings.forEach(
        (key, value) -> {
          if (key.startsWith(SPARK_HADOOP)) {
            conf.set(key.substring(SPARK_HADOOP.length()), value);
          }
        });
  }

  /** The manifest at {@code location}. */
  public Manifest manifest(String location) throws IOException {
    Path path = new Path(location);
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      return Manifest.fromJson(in);
    }
  }

  /** The size of the file at {@code location}. */
  long size(String location) throws IOException {
    Path path = new Path(location);
    return path.getFileSystem(conf).getFileStatus(path).getLen();
  }

  /** The bytes of the file at {@code location}. */
  byte[] read(String location) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(conf);
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }
}
