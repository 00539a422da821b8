package io.lakeport.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.TestSpark;
import io.lakeport.config.SinkFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A written Parquet file is measured in one open: its SHA-256 and bytes against {@link
 * MessageDigest} over the file, its rows against Spark's count of it. Opens are counted by the
 * local file system wrapped in a {@link FilterFileSystem} (the measure takes any Hadoop file
 * system).
 */
class FileMeasureSparkTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  @Test
  void aParquetFileIsHashedAndCountedInOneOpen() throws Exception {
    Path file = parquet("one", 5_000);
    Counting fs = new Counting();

    MeasuredFile measured =
        new FileMeasure(SinkFormat.PARQUET, Map.of())
            .measure(fs, new org.apache.hadoop.fs.Path(file.toUri()), "one.parquet", fs.getConf());

    assertThat(fs.opens).hasValue(1);
    assertSameAsIndependent(measured, file);
  }

  @Test
  void aFooterLargerThanTheKeptTailIsReadAgainFromTheEnd() throws Exception {
    Path file = parquet("wide", 3_000);
    Counting fs = new Counting();

    MeasuredFile measured =
        new FileMeasure(SinkFormat.PARQUET, Map.of(), 64)
            .measure(fs, new org.apache.hadoop.fs.Path(file.toUri()), "wide.parquet", fs.getConf());

    assertThat(fs.opens).as("the file, then its footer").hasValue(2);
    assertSameAsIndependent(measured, file);
  }

  @Test
  void aTailOfAnySizeKeepsTheFileEnd() throws Exception {
    Path file = parquet("sizes", 2_000);
    long size = Files.size(file);
    long rows = spark.read().parquet(file.toString()).count();
    for (int tail : new int[] {9, 4096, 65_537, (int) size - 1, (int) size, (int) size + 1}) {
      Counting fs = new Counting();
      MeasuredFile measured =
          new FileMeasure(SinkFormat.PARQUET, Map.of(), tail)
              .measure(fs, new org.apache.hadoop.fs.Path(file.toUri()), "f", fs.getConf());
      assertThat(measured.rows()).as("rows with a tail of %d bytes", tail).isEqualTo(rows);
    }
  }

  private void assertSameAsIndependent(MeasuredFile measured, Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(measured.bytes()).isEqualTo(bytes.length);
    assertThat(measured.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(measured.rows())
        .isEqualTo(spark.read().parquet(file.toString()).count())
        .isPositive();
  }

  /** One zstd Parquet file of {@code rows} rows of several columns, written by Spark. */
  private Path parquet(String name, int rows) throws IOException {
    Path folder = dir.resolve(name);
    spark
        .range(rows)
        .selectExpr("id", "concat('note ', id % 97) AS note", "id * 1.5 AS amount")
        .coalesce(1)
        .write()
        .option("compression", "zstd")
        .parquet(folder.toString());
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> parquet = files.filter(p -> p.toString().endsWith(".parquet")).toList();
      assertThat(parquet).hasSize(1);
      return parquet.get(0);
    }
  }

  /** The local file system, counting the files it opens. */
  private static final class Counting extends FilterFileSystem {
    final AtomicInteger opens = new AtomicInteger();

    Counting() throws IOException {
      super(FileSystem.getLocal(new Configuration()));
    }

    @Override
    public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
      opens.incrementAndGet();
      return super.open(f, bufferSize);
    }
  }
}
