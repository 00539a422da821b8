package io.lakeport;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of a test JVM: {@code local[2]}, UI off, two shuffle partitions,
 * driver on 127.0.0.1, UTC, Delta enabled, and the no-fork local file system Lakeport uses.
 */
public final class TestSpark {
  private TestSpark() {}

  public static synchronized SparkSession session() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("lakeport-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "8")
        .config("spark.sql.artifact.isolation.enabled", "false")
        .config("spark.hadoop.fs.file.impl", "io.lakeport.hadoop.NoForkLocalFileSystem")
        .config("spark.hadoop.fs.file.impl.disable.cache", "true")
        .config("spark.hadoop.io.compression.codecs", "io.lakeport.hadoop.ZstdCodec")
        .config(
            "spark.sql.warehouse.dir",
            Path.of("target", "spark-warehouse").toAbsolutePath().toString())
        .getOrCreate();
  }
}
