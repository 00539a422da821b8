package io.lakeport.bench;

import static io.lakeport.bench.BenchCases.header;
import static io.lakeport.bench.BenchCases.ratio;
import static io.lakeport.bench.BenchCases.row;
import static io.lakeport.bench.BenchCases.rows;
import static io.lakeport.bench.BenchCases.section;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

import io.lakeport.run.Acceleration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Case 9: write-path experiments on case 2's row export. Each variant of the write is measured
 * paired with the write it would replace (the same repetition, in alternating order): Lakeport's
 * distribution (the rebalance shuffle) against Spark's local sort, concurrent output writers, the
 * zstd level, page and row-group sizes, dictionary encoding, and Comet's native Parquet writer.
 */
final class WritePathCase {
  private static final String ZSTD_LEVEL = "parquet.compression.codec.zstd.level";

  /** How one write is made. */
  record Write(
      String name,
      boolean comet,
      boolean rebalance,
      boolean partitioned,
      Map<String, String> sessionConf,
      Map<String, String> options) {
    Write with(String newName, Map<String, String> conf, Map<String, String> writerOptions) {
      Map<String, String> allConf = new LinkedHashMap<>(sessionConf);
      allConf.putAll(conf);
      Map<String, String> allOptions = new LinkedHashMap<>(options);
      allOptions.putAll(writerOptions);
      return new Write(newName, comet, rebalance, partitioned, allConf, allOptions);
    }

    Write localSort(String newName) {
      return new Write(newName, comet, false, partitioned, sessionConf, options);
    }
  }

  /** One experiment: a variant against the write it would replace. */
  record Experiment(Write baseline, Write variant) {}

  private static final Write SPARK =
      new Write(
          "Lakeport's write on Spark (rebalance by day)", false, true, true, Map.of(), Map.of());
  private static final Write COMET =
      new Write(
          "Lakeport's write with Comet (rebalance by day)", true, true, true, Map.of(), Map.of());
  private static final Write COMET_UNPARTITIONED =
      new Write(
          "Unpartitioned, Comet, Spark's Parquet writer", true, false, false, Map.of(), Map.of());

  static final List<Experiment> EXPERIMENTS =
      List.of(
          new Experiment(SPARK, SPARK.localSort("Spark's local sort, no shuffle")),
          new Experiment(COMET, COMET.localSort("Comet: Spark's local sort, no shuffle")),
          new Experiment(
              SPARK,
              SPARK
                  .localSort("No shuffle, 32 concurrent writers per task")
                  .with(
                      "No shuffle, 32 concurrent writers per task (no sort)",
                      Map.of("spark.sql.maxConcurrentOutputFileWriters", "32"),
                      Map.of())),
          new Experiment(SPARK, SPARK.with("zstd level 1", Map.of(), Map.of(ZSTD_LEVEL, "1"))),
          new Experiment(
              COMET, COMET.with("Comet: zstd level 1", Map.of(), Map.of(ZSTD_LEVEL, "1"))),
          new Experiment(
              SPARK,
              SPARK.with(
                  "Pages 4 MiB, row groups 256 MiB",
                  Map.of(),
                  Map.of("parquet.page.size", "4194304", "parquet.block.size", "268435456"))),
          new Experiment(
              SPARK,
              SPARK.with(
                  "Dictionary encoding off",
                  Map.of(),
                  Map.of("parquet.enable.dictionary", "false"))),
          new Experiment(
              COMET_UNPARTITIONED,
              COMET_UNPARTITIONED.with(
                  "Unpartitioned, Comet's native Parquet writer",
                  Map.of(
                      "spark.comet.write.parquet.enabled",
                      "true",
                      "spark.comet.operator.DataWritingCommandExec.allowIncompatible",
                      "true"),
                  Map.of())));

  private final Bench.Options options;
  private final SparkSession spark;
  private final Path data;
  private final Path exports;

  WritePathCase(Bench.Options options, SparkSession spark) {
    this.options = options;
    this.spark = spark;
    this.data = options.work().resolve("data");
    this.exports = options.work().resolve("exports").resolve("write-path");
  }

  String run() throws SQLException {
    long size = options.scale().engineRows().get(0);
    Path input = BenchData.events(spark, data, size);
    StringBuilder table =
        new StringBuilder(
            header(
                "Variant",
                "Against",
                "Variant (s)",
                "Against (s)",
                "Variant / against",
                "Bytes / against",
                "Files (variant, against)",
                "Writer"));
    List<String> stages = new ArrayList<>();
    try (DuckDb duck = new DuckDb()) {
      for (int i = 0; i < EXPERIMENTS.size(); i++) {
        Experiment experiment = EXPERIMENTS.get(i);
        Bench.progress("case 9: " + experiment.variant().name());
        Path baseOut = exports.resolve(i + "-against");
        Path variantOut = exports.resolve(i + "-variant");
        List<Double> base = new ArrayList<>();
        List<Double> variant = new ArrayList<>();
        Runnable baseRun = () -> base.add(timed(experiment.baseline(), input, baseOut));
        Runnable variantRun = () -> variant.add(timed(experiment.variant(), input, variantOut));
        // an untimed first round, with the stages of each write, checks the variant's rows
        stages.add(
            experiment.baseline().name()
                + ": "
                + StageTimes.of(spark, () -> write(experiment.baseline(), input, baseOut)));
        stages.add(
            experiment.variant().name()
                + ": "
                + StageTimes.of(spark, () -> write(experiment.variant(), input, variantOut)));
        DayTotals expected = DayTotals.of(spark, baseOut, EnginesCase.Kind.ROWS);
        expected.requireSame(
            DayTotals.of(spark, variantOut, EnginesCase.Kind.ROWS), experiment.variant().name());
        DuckDb.Read read = duck.read(variantOut);
        if (read.rows() != expected.rows()) {
          throw new IllegalStateException(
              "DuckDB reads "
                  + read.rows()
                  + " rows from "
                  + variantOut
                  + ", Spark "
                  + expected.rows());
        }
        for (int rep = 0; rep < options.reps(); rep++) {
          BenchCases.alternate(rep, baseRun, variantRun);
        }
        Bench.progress(
            "case 9: "
                + experiment.variant().name()
                + " / "
                + experiment.baseline().name()
                + " = "
                + ratio(variant, base)
                + " (bytes "
                + String.format(Locale.ROOT, "%.3f", (double) bytes(variantOut) / bytes(baseOut))
                + ", writer "
                + read.createdBy()
                + ")");
        table.append(
            row(
                experiment.variant().name(),
                experiment.baseline().name(),
                Samples.of(variant).spread(2),
                Samples.of(base).spread(2),
                ratio(variant, base),
                String.format(Locale.ROOT, "%.3f", (double) bytes(variantOut) / bytes(baseOut)),
                files(variantOut) + ", " + files(baseOut),
                "`" + read.createdBy().split(" \\(")[0] + "`"));
      }
    }
    stages.forEach(line -> Bench.progress("case 9 stages: " + line));
    return section(
        "9. Write-path experiments: case 2's row export, " + rows(size) + " source rows",
        "Case 2's row export written as Lakeport writes it (the rebalance shuffle by day, zstd\n"
            + "Parquet, Spark's default Parquet settings), each variant measured against the write it\n"
            + "would replace in the same repetition, the two in alternating order; a ratio below 1 is a\n"
            + "faster variant. Before the timed runs each variant's output is checked: per day the same\n"
            + "rows and sums as the other write, and DuckDB reads all its rows. \"Writer\" is the files'\n"
            + "`created_by`. Spark's local sort is what `write.partitionBy` does without a shuffle: each\n"
            + "task sorts its rows by day and writes one day after another (a file per day per task);\n"
            + "with concurrent writers a task keeps up to that many files open instead of sorting.\n"
            + "Comet's native writer is marked experimental by Comet and writes unpartitioned output\n"
            + "only.",
        table.toString());
  }

  private double timed(Write write, Path input, Path output) {
    return BenchCases.collectedThenTime(
        () -> {
          write(write, input, output);
          return null;
        });
  }

  /** Case 2's row export, written the way {@code write} says, in a session of its own. */
  private void write(Write write, Path input, Path output) {
    SparkSession session = spark.newSession();
    session.conf().set(Acceleration.ENABLED, String.valueOf(write.comet()));
    write.sessionConf().forEach((key, value) -> session.conf().set(key, value));
    Dataset<Row> rows =
        session
            .read()
            .parquet(input.toString())
            .where(col("status").notEqual("cancelled").and(col("amount").gt(5)))
            .withColumn("event_day", to_date(col("event_ts")))
            .withColumn("line_total", col("amount").multiply(col("quantity")));
    Dataset<Row> arranged = write.rebalance() ? rows.hint("rebalance", col("event_day")) : rows;
    DataFrameWriter<Row> writer =
        arranged
            .write()
            .mode(SaveMode.Overwrite)
            .option("compression", "zstd")
            .options(write.options());
    if (write.partitioned()) {
      writer.partitionBy("event_day");
    }
    writer.parquet(output.toString());
  }

  private static long bytes(Path output) {
    return parquetFiles(output).mapToLong(p -> p.toFile().length()).sum();
  }

  private static long files(Path output) {
    return parquetFiles(output).count();
  }

  private static Stream<Path> parquetFiles(Path output) {
    try (Stream<Path> paths = Files.walk(output)) {
      return paths.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
