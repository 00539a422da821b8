package io.lakeport;

import io.lakeport.run.Acceleration;
import io.lakeport.run.CometContext;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of a test JVM: {@code local[2]}, UI off, two shuffle partitions,
 * driver on 127.0.0.1, UTC, Delta enabled, and the no-fork local file system Lakeport uses.
 */
public final class TestSpark {
  private TestSpark() {}

  public static synchronized SparkSession session() {
    return builder().getOrCreate();
  }

  /**
   * The session of a Comet test JVM: {@link #session()}'s settings plus the context settings that
   * load the Apache DataFusion Comet accelerator, derived by Lakeport's own code from the reference
   * site settings (so a test sees exactly the {@code lakeport.spark.comet.conf} Lakeport ships),
   * with Comet enabled; plus Comet's log of why an operator stays on Spark and plans shown with all
   * their columns (display only).
   *
   * <p>Comet's plugin and shuffle manager are fixed when the Spark context starts, and a test JVM
   * has one context: only classes named {@code *EquivalenceSparkTest} and tagged {@code comet} may
   * call this; the pom runs them in a JVM of their own (surefire execution {@code
   * comet-equivalence}), while every other test runs on {@link #session()} without the plugin. A
   * job runs on plain Spark in this context when handed a session with {@code
   * spark.comet.enabled=false} (see {@link Acceleration#inherit}).
   *
   * @throws IllegalStateException when this JVM already runs a Spark context without Comet
   */
  public static synchronized SparkSession accelerated() {
    SparkSession.Builder builder = builder();
    Map<String, String> comet = CometContext.settings(Fixtures.site());
    comet.forEach(builder::config);
    builder.config("spark.comet.explain.fallback.log.enabled", "true");
    builder.config("spark.sql.debug.maxToStringFields", "1000"); // whole plans in messages
    SparkSession session = builder.getOrCreate();
    if (!Acceleration.loaded(session)) {
      throw new IllegalStateException(
          "This test JVM already runs Spark without Comet: name the test class"
              + " *EquivalenceSparkTest and tag it @Tag(\"comet\") to run it in the Comet JVM");
    }
    return session;
  }

  private static SparkSession.Builder builder() {
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
            Path.of("target", "spark-warehouse").toAbsolutePath().toString());
  }
}
