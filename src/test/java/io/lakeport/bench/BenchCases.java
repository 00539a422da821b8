package io.lakeport.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.lakeport.api.Lakeport;
import io.lakeport.manifest.Manifest;
import io.lakeport.run.Acceleration;
import io.lakeport.run.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The export cases of the suite, each returning its section of {@code BENCHMARKS.md}: end to end in
 * processes (1), against plain Spark and DuckDB in one JVM (2), a fixed 1 GiB driver heap (3),
 * compression (4), many small jobs (5) and the cost of the safety features (7). The scheduler and
 * retention case (6) is {@link OperationsCase}.
 */
final class BenchCases {
  private static final List<String[]> END_TO_END_FORMATS =
      List.of(
          new String[] {"parquet", "zstd"},
          new String[] {"csv", "gzip"},
          new String[] {"json", "gzip"});
  private static final List<String[]> CODECS =
      List.of(
          new String[] {"csv", "none"},
          new String[] {"csv", "gzip"},
          new String[] {"csv", "zstd"},
          new String[] {"json", "none"},
          new String[] {"json", "gzip"},
          new String[] {"json", "zstd"},
          new String[] {"parquet", "none"},
          new String[] {"parquet", "snappy"},
          new String[] {"parquet", "gzip"},
          new String[] {"parquet", "zstd"},
          new String[] {"avro", "snappy"},
          new String[] {"avro", "deflate"},
          new String[] {"avro", "zstd"});
  private static final String QUALITY_RULES =
      """
      quality {
        rules = [
          { column = event_id, not-null = true }
          { name = amount-range, column = amount, between = [0, 1000] }
          { name = note-words, column = note, regex = "^[a-z ]+$", action = warn }
          { unique = [event_id], action = fail }
        ]
      }
      """;

  private final Bench.Options options;
  private final Bench.Scale scale;
  private final Lakeport lakeport;
  private final SparkSession spark;
  private final Path data;
  private final Path exports;
  private final BenchJobs jobs;
  private boolean launcherWarm;

  BenchCases(Bench.Options options, Lakeport lakeport, SparkSession spark) {
    this.options = options;
    this.scale = options.scale();
    this.lakeport = lakeport;
    this.spark = spark;
    this.data = options.work().resolve("data");
    this.exports = options.work().resolve("exports");
    this.jobs = new BenchJobs(options.work().resolve("jobs"));
  }

  String run(int number) throws Exception {
    return switch (number) {
      case 1 -> endToEnd();
      case 2 -> new EnginesCase(options, lakeport, spark).run();
      case 3 -> fixedHeap();
      case 4 -> compression();
      case 5 -> manySmallJobs();
      case 6 -> new OperationsCase(options, lakeport, spark).run();
      case 7 -> safetyFeatures();
      case 8 -> skewedPartitions();
      case 9 -> new WritePathCase(options, spark).run();
      default -> throw new IllegalArgumentException("no case " + number + "; cases are 1 to 9");
    };
  }

  /**
   * Case 1: a process from its start to its exit, after the manifest: Lakeport as launched (with
   * the launcher's class-data archive), Lakeport without it, and plain Spark.
   */
  private String endToEnd() {
    Path input = BenchData.events(spark, data, scale.endToEndRows());
    StringBuilder table =
        new StringBuilder(
            header(
                "Sink",
                "Lakeport process (s)",
                "Without class-data archive (s)",
                "Plain Spark process (s)",
                "Lakeport / plain"));
    for (String[] format : END_TO_END_FORMATS) {
      Path lakeportOut = exports.resolve("e2e-lakeport-" + format[0]);
      Path plainOut = exports.resolve("e2e-plain-" + format[0]);
      Path job = jobs.aggregate("e2e-" + format[0], input, lakeportOut, format[0], format[1]);
      List<String> run = List.of("run", job.toString());
      List<Double> ours = new ArrayList<>();
      List<Double> noArchive = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      for (int rep = 0; rep < options.reps(); rep++) {
        Runnable lakeportRun = () -> ours.add(lakeportProcess(run, "4g", "e2e").seconds());
        Runnable noArchiveRun =
            () ->
                noArchive.add(
                    lakeportProcess(run, "4g", "e2e", Map.of("LAKEPORT_CDS", "off")).seconds());
        Runnable plainRun = () -> plain.add(plainProcess(input, plainOut, format).seconds());
        alternate(rep, lakeportRun, noArchiveRun, plainRun);
      }
      if (format[0].equals("parquet")) {
        requireSame(
            Totals.of(spark, lakeportOut),
            Totals.of(spark, plainOut),
            "case 1 Lakeport",
            "case 1 plain Spark");
      }
      table.append(
          row(
              format[0] + " " + format[1],
              Samples.of(ours).spread(1),
              Samples.of(noArchive).spread(1),
              Samples.of(plain).spread(1),
              ratio(ours, plain)));
    }
    return section(
        "1. End to end: process start to manifest written, " + rows(scale.endToEndRows()) + " rows",
        "`bin/lakeport run` of the aggregate job (filter, daily aggregate per country and category, one\n"
            + "folder per day) as a new process each time, against `PlainSpark` doing the same DataFrame\n"
            + "operations and write in a process of its own with the same Spark settings. Wall time from\n"
            + "process start to exit; Lakeport's includes validating the job, the manifest with every\n"
            + "file's SHA-256, `_SUCCESS` and recording the run in the run history. `bin/lakeport` maps\n"
            + "the class-data archive its first run after a build recorded (README \"Running jobs\"); the\n"
            + "middle column is the same command with `LAKEPORT_CDS=off`, and the plain program is started\n"
            + "as a bare `java` command without one. The archive is recorded, unmeasured, by a small CSV\n"
            + "export (case 5's job for one country) before the first measured process, so it holds the\n"
            + "classes of another job, as one recorded by `lakeport demo` would.",
        table.toString());
  }

  /** Case 3: a row export of the largest size with the driver heap fixed at 1 GiB. */
  private String fixedHeap() throws IOException {
    Path input = BenchData.events(spark, data, scale.memoryRows());
    Path out = exports.resolve("memory");
    Path job = jobs.rows("memory", input, out, "parquet", "zstd", "event_day", "");
    ChildProcess.Ended ended = lakeportProcess(List.of("run", job.toString()), "1g", "memory");
    Manifest manifest = lakeport.manifests(out.toString()).get(0);
    long expected =
        spark.read().parquet(input.toString()).where(col("status").notEqual("cancelled")).count();
    if (manifest.totals().rows() != expected) {
      throw new IllegalStateException(
          "case 3 exported " + manifest.totals().rows() + " rows, expected " + expected);
    }
    String table =
        header("Rows exported", "Files", "Bytes", "Wall time (s)", "Driver heap", "Peak RSS (MiB)")
            + row(
                rows(manifest.totals().rows()),
                Long.toString(manifest.totals().files()),
                String.format(Locale.ROOT, "%,d", manifest.totals().bytes()),
                String.format(Locale.ROOT, "%.1f", ended.seconds()),
                "1 GiB (`LAKEPORT_DRIVER_MEMORY=1g`)",
                String.format(Locale.ROOT, "%.0f", ended.peakMiB()));
    return section(
        "3. Memory: " + rows(scale.memoryRows()) + " source rows with a 1 GiB driver heap",
        "One `bin/lakeport run` (once: it is about completing, not speed) of a row export: every\n"
            + "event but cancelled ones, with a derived day, as zstd Parquet in one folder per day. The\n"
            + "rows exported equal Spark's own count of the source's non-cancelled rows. Peak RSS is the\n"
            + "process's `VmHWM` (heap plus Spark's off-heap buffers, metaspace and code); no data is\n"
            + "collected to the driver: files are measured on the executors and only one small record per\n"
            + "file comes back.",
        table);
  }

  /**
   * Case 4: output bytes against uncompressed CSV of the same rows, and the write cost per codec.
   */
  private String compression() {
    Path input = BenchData.events(spark, data, scale.compressionRows());
    Map<String, Samples> times = new LinkedHashMap<>();
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (String[] codec : CODECS) {
      String name = codec[0] + "-" + codec[1];
      Path job =
          jobs.rows(
              "codec-" + name, input, exports.resolve("codec-" + name), codec[0], codec[1], "", "");
      List<Double> seconds = new ArrayList<>();
      RunResult[] last = new RunResult[1];
      for (int rep = 0; rep < options.reps(); rep++) {
        seconds.add(time(() -> last[0] = lakeport.job(job).run(spark)));
      }
      times.put(name, Samples.of(seconds));
      bytes.put(name, last[0].manifest().totals().bytes());
    }
    long raw = bytes.get("csv-none");
    double rawTime = times.get("csv-none").median();
    StringBuilder table =
        new StringBuilder(
            header(
                "Format",
                "Codec",
                "Bytes",
                "Of raw CSV",
                "Saving",
                "Write time (s)",
                "Time / raw CSV"));
    for (String[] codec : CODECS) {
      String name = codec[0] + "-" + codec[1];
      long size = bytes.get(name);
      table.append(
          row(
              codec[0],
              codec[1],
              String.format(Locale.ROOT, "%,d", size),
              percent((double) size / raw),
              percent(1 - (double) size / raw),
              times.get(name).spread(2),
              String.format(Locale.ROOT, "%.2f", times.get(name).median() / rawTime)));
    }
    return section(
        "4. Compression: " + rows(scale.compressionRows()) + " source rows per format and codec",
        "The row export of case 3, unpartitioned, through Lakeport in one JVM. \"Raw CSV\" is the same\n"
            + "rows as uncompressed CSV with a header (the first row). The data has realistic redundancy:\n"
            + "low-cardinality countries, categories and statuses, prices, timestamps within a month,\n"
            + "notes of three words from a small vocabulary.",
        table.toString());
  }

  /** Case 5: small jobs as a process each vs one process for all of them. */
  private String manySmallJobs() {
    Path input = BenchData.events(spark, data, scale.endToEndRows());
    List<String> countries = BenchData.countries().subList(0, scale.smallJobs());
    List<String> files = new ArrayList<>();
    Map<Path, Long> expected = new LinkedHashMap<>();
    for (String country : countries) {
      Path out = exports.resolve("small").resolve(country);
      files.add(
          jobs.small("small-" + country.toLowerCase(Locale.ROOT), input, out, country).toString());
      expected.put(
          out,
          spark.read().parquet(input.toString()).where(col("country").equalTo(country)).count());
    }
    List<Double> separate = new ArrayList<>();
    List<Double> together = new ArrayList<>();
    int reps = Math.min(options.reps(), 2);
    for (int rep = 0; rep < reps; rep++) {
      Runnable each =
          () -> {
            double total = 0;
            for (String file : files) {
              total += lakeportProcess(List.of("run", file), "2g", "small").seconds();
            }
            separate.add(total);
            requireRows(expected);
          };
      Runnable one =
          () -> {
            List<String> args = new ArrayList<>(List.of("run"));
            args.addAll(files);
            together.add(lakeportProcess(args, "2g", "small").seconds());
            requireRows(expected);
          };
      alternate(rep, each, one);
    }
    String table =
        header("How", "Total wall time (s)", "Per job (s)", "Ratio")
            + row(
                files.size() + " processes, one job each",
                Samples.of(separate).spread(1),
                String.format(Locale.ROOT, "%.2f", Samples.of(separate).median() / files.size()),
                "1.00")
            + row(
                "1 process: `lakeport run a.conf b.conf ...`",
                Samples.of(together).spread(1),
                String.format(Locale.ROOT, "%.2f", Samples.of(together).median() / files.size()),
                String.format(
                    Locale.ROOT,
                    "%.2f",
                    Samples.of(together).median() / Samples.of(separate).median()));
    return section(
        "5. Many small jobs: " + files.size() + " exports",
        "Each job exports one country's events of the "
            + rows(scale.endToEndRows())
            + "-row table as gzipped\n"
            + "CSV. Run "
            + reps
            + " times each way (a round of separate processes takes minutes). After every\n"
            + "round each export's manifest must hold exactly the rows Spark counts for its country.",
        table);
  }

  /**
   * Case 7: checksums, row checks and quality rules, against the same write without them, on plain
   * Spark and, where the bench's context loaded it, with Comet.
   */
  private String safetyFeatures() {
    Path input = BenchData.events(spark, data, scale.safetyRows());
    List<Double> inspectShare = new ArrayList<>();
    StringBuilder table =
        new StringBuilder(header("Run", "Time (s)", "/ plain Spark", "/ Lakeport without rules"));
    table.append(safetyOn("Spark", EnginesCase.plainSession(spark), input, inspectShare));
    String engines = "on plain Spark";
    if (Acceleration.active(spark)) {
      table.append(safetyOn("Comet", spark, input, inspectShare));
      engines =
          "on plain Spark, then all three with the Comet\naccelerator (its default for local runs)";
    }
    return section(
        "7. Cost of the safety features: " + rows(scale.safetyRows()) + " source rows",
        "The row export (zstd Parquet, one folder per day) written by plain Spark, by Lakeport, and by\n"
            + "Lakeport with quality rules, "
            + engines
            + ". Measuring the files (SHA-256 of every byte and the\nrow count, on the executors, one"
            + " task per file) took "
            + percent(Samples.of(inspectShare).median())
            + " of Lakeport's run time (median of the manifests'\n"
            + "`timings.inspect_ms`). The quality rules are counted in the writing pass and nothing is\n"
            + "cached; rejected rows would be written by a second pass over them only, and this source\n"
            + "has none (the common case). The rows written are counted with the rules, in one\n"
            + "observation. The unique key is read back from the written Parquet files (its column only)\n"
            + "and its hashes are spread over tasks that each keep a set of them: no aggregation runs\n"
            + "unless a hash repeats (`UniqueKeys`).",
        table.toString());
  }

  /**
   * Case 7's three runs on {@code session}, alternated; the table rows, labelled {@code engine}.
   */
  private String safetyOn(
      String engine, SparkSession session, Path input, List<Double> inspectShare) {
    String slug = engine.toLowerCase(Locale.ROOT);
    Path plainOut = exports.resolve("safety-plain-" + slug);
    Path ourOut = exports.resolve("safety-" + slug);
    Path job = jobs.rows("safety-" + slug, input, ourOut, "parquet", "zstd", "event_day", "");
    Path checked =
        jobs.rows(
            "safety-quality-" + slug,
            input,
            exports.resolve("safety-quality-" + slug),
            "parquet",
            "zstd",
            "event_day",
            QUALITY_RULES);
    List<Double> plain = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    List<Double> withRules = new ArrayList<>();
    List<Double> share = new ArrayList<>();
    Runnable plainRun =
        () ->
            plain.add(
                time(
                    () -> {
                      PlainSpark.rows(
                          session,
                          input.toString(),
                          plainOut.toString(),
                          "event_day",
                          PlainSpark.Distribution.REBALANCE);
                      return null;
                    }));
    Runnable lakeportRun =
        () -> {
          RunResult[] result = new RunResult[1];
          ours.add(time(() -> result[0] = lakeport.job(job).run(session)));
          Manifest.Timings timings = result[0].manifest().timings();
          share.add((double) timings.inspectMs() / result[0].manifest().durationMs());
        };
    Runnable rulesRun = () -> withRules.add(time(() -> lakeport.job(checked).run(session)));
    plainRun.run();
    lakeportRun.run();
    rulesRun.run();
    requireSame(Totals.rowsOf(spark, ourOut), Totals.rowsOf(spark, plainOut), "Lakeport", "plain");
    plain.clear();
    ours.clear();
    withRules.clear();
    share.clear();
    for (int rep = 0; rep < options.reps(); rep++) {
      alternate(rep, plainRun, lakeportRun, rulesRun);
    }
    inspectShare.addAll(share);
    return row(
            engine + ": plain Spark write (rebalanced by day, as Lakeport does), nothing checked",
            Samples.of(plain).spread(2),
            "1.00",
            "")
        + row(
            engine + ": Lakeport: staging, publish, manifest with SHA-256 and rows of every file",
            Samples.of(ours).spread(2),
            ratio(ours, plain),
            "1.00")
        + row(
            engine + ": Lakeport with 4 quality rules (2 quarantine, 1 warn, unique key)",
            Samples.of(withRules).spread(2),
            ratio(withRules, plain),
            ratio(withRules, ours));
  }

  /**
   * Case 8: a partitioned write where one value holds most rows: one task per value, or rebalanced.
   */
  private String skewedPartitions() {
    Path input = BenchData.events(spark, data, scale.safetyRows());
    Path repartitioned = exports.resolve("skew-repartition");
    Path rebalanced = exports.resolve("skew-rebalance");
    Path ourOut = exports.resolve("skew-lakeport");
    Path job = jobs.rows("skew", input, ourOut, "parquet", "zstd", "status", "");
    List<Double> byValue = new ArrayList<>();
    List<Double> balanced = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    Runnable repartitionRun =
        () ->
            byValue.add(
                timeRun(
                    () ->
                        PlainSpark.rows(
                            spark,
                            input.toString(),
                            repartitioned.toString(),
                            "status",
                            PlainSpark.Distribution.REPARTITION)));
    Runnable rebalanceRun =
        () ->
            balanced.add(
                timeRun(
                    () ->
                        PlainSpark.rows(
                            spark,
                            input.toString(),
                            rebalanced.toString(),
                            "status",
                            PlainSpark.Distribution.REBALANCE)));
    Runnable lakeportRun = () -> ours.add(time(() -> lakeport.job(job).run(spark)));
    repartitionRun.run();
    rebalanceRun.run();
    lakeportRun.run();
    requireSame(
        Totals.rowsOf(spark, repartitioned),
        Totals.rowsOf(spark, rebalanced),
        "repartitioned",
        "rebalanced");
    requireSame(
        Totals.rowsOf(spark, ourOut), Totals.rowsOf(spark, rebalanced), "Lakeport", "rebalanced");
    byValue.clear();
    balanced.clear();
    ours.clear();
    for (int rep = 0; rep < options.reps(); rep++) {
      alternate(rep, repartitionRun, rebalanceRun, lakeportRun);
    }
    String table =
        header("Write", "Time (s)", "/ one task per value", "Files per value (completed, failed)")
            + row(
                "Plain Spark, `repartition(status)`",
                Samples.of(byValue).spread(2),
                "1.00",
                files(repartitioned))
            + row(
                "Plain Spark, `REBALANCE` hint",
                Samples.of(balanced).spread(2),
                ratio(balanced, byValue),
                files(rebalanced))
            + row(
                "Lakeport (rebalances partitioned writes by default)",
                Samples.of(ours).spread(2),
                ratio(ours, byValue),
                files(ourOut));
    return section(
        "8. A skewed partitioned write: " + rows(scale.safetyRows()) + " source rows by status",
        "The row export partitioned by `status`, where one value (`completed`) holds 96% of the rows, as\n"
            + "a daily export partitioned by day holds all of its rows in one value. One task per value\n"
            + "leaves a core idle while one task writes almost everything; rebalancing splits the big value\n"
            + "into tasks of about 64 MB (Spark's advisory partition size) and keeps small values whole.",
        table);
  }

  private static String files(Path output) {
    return Stream.of("completed", "failed")
        .map(
            value -> {
              try (Stream<Path> files = Files.list(output.resolve("status=" + value))) {
                return Long.toString(
                    files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .collect(Collectors.joining(", "));
  }

  private void requireRows(Map<Path, Long> expected) {
    expected.forEach(
        (out, rows) -> {
          long got = lakeport.manifests(out.toString()).get(0).totals().rows();
          if (got != rows) {
            throw new IllegalStateException(
                "export " + out + " holds " + got + " rows, expected " + rows);
          }
        });
  }

  private ChildProcess.Ended lakeportProcess(List<String> args, String heap, String log) {
    return lakeportProcess(args, heap, log, Map.of());
  }

  /**
   * {@code bin/lakeport <args>} as a process of its own. Before the suite's first one, a small CSV
   * job runs unmeasured and records the launcher's class-data archive in the suite's own folder (a
   * one-time cost, not the cost of a run), so every measured process maps an archive recorded from
   * another job, as a user's archive recorded by {@code lakeport demo} would be.
   */
  private ChildProcess.Ended lakeportProcess(
      List<String> args, String heap, String log, Map<String, String> extraEnv) {
    List<String> command =
        new ArrayList<>(List.of(options.repo().resolve("bin").resolve("lakeport").toString()));
    command.addAll(args);
    Path archives = options.work().resolve("cds");
    Map<String, String> env =
        new LinkedHashMap<>(
            Map.of(
                "LAKEPORT_HOME",
                lakeport.home().toString(),
                "LAKEPORT_DRIVER_MEMORY",
                heap,
                "LAKEPORT_CDS_DIR",
                archives.toString()));
    env.putAll(extraEnv);
    Path logFile = options.work().resolve("logs").resolve(log + ".log");
    if (!launcherWarm) {
      delete(archives);
      Path input = BenchData.events(spark, data, scale.endToEndRows());
      Path warmUp =
          jobs.small("warm-up", input, exports.resolve("warm-up"), BenchData.countries().get(0));
      ChildProcess.run(
          List.of(command.get(0), "run", warmUp.toString()),
          Map.of(
              "LAKEPORT_HOME", lakeport.home().toString(), "LAKEPORT_CDS_DIR", archives.toString()),
          logFile);
      launcherWarm = true;
    }
    return ChildProcess.run(command, env, logFile);
  }

  private ChildProcess.Ended plainProcess(Path input, Path output, String[] format) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmFlags());
    command.addAll(
        List.of(
            "-Xmx4g",
            "-Dlog4j2.configurationFile=" + lakeport.home().resolve("conf/log4j2.properties"),
            "-cp",
            System.getProperty("java.class.path"),
            PlainSpark.class.getName(),
            input.toString(),
            output.toString(),
            format[0],
            format[1]));
    return ChildProcess.run(
        command,
        Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
        options.work().resolve("logs").resolve("e2e-plain.log"));
  }

  private List<String> jvmFlags() {
    try {
      String flags = Files.readString(options.repo().resolve("target/launcher/jvm-flags")).trim();
      return List.of(flags.split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Build the launcher first (mvn package): " + e.getMessage(), e);
    }
  }

  /**
   * Runs each once, in the {@code rep}-th of their orders: over n! repetitions every one runs in
   * every position after every other, so none is always measured right after the same neighbour
   * (DuckDB's native threads and memory, a JVM's garbage) or always first.
   */
  static void alternate(int rep, Runnable... runs) {
    order(rep, List.of(runs)).forEach(Runnable::run);
  }

  /**
   * The {@code rep}-th permutation of {@code items} (mod n!). The first position changes fastest
   * (it is {@code rep mod n}), so fewer than n! repetitions (15 of four engines' 24 orders) still
   * start with each item about equally often; over n! repetitions every order comes up once.
   */
  static <T> List<T> order(int rep, List<T> items) {
    List<T> left = new ArrayList<>(items);
    List<T> order = new ArrayList<>();
    long factorial = 1;
    for (int i = 2; i <= items.size(); i++) {
      factorial *= i;
    }
    long index = rep % factorial;
    for (int n = items.size(); n > 0; n--) {
      order.add(left.remove((int) (index % n)));
      index /= n;
    }
    return order;
  }

  static double time(Supplier<?> work) {
    long start = System.nanoTime();
    consume(work.get());
    return (System.nanoTime() - start) / 1e9;
  }

  /** Keeps a result the JIT could otherwise prove unused and drop with the work that made it. */
  static void consume(Object result) {
    sink = result;
  }

  @SuppressWarnings("unused")
  private static volatile Object sink;

  static double collectedThenTime(Supplier<?> work) {
    System.gc();
    return time(work);
  }

  static double timeRun(Runnable work) {
    return time(
        () -> {
          work.run();
          return null;
        });
  }

  static void delete(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What an output holds, to check that engines wrote the same result. */
  record Totals(long rows, long events, long items, double revenue) {
    static Totals of(SparkSession spark, Path output) {
      return read(spark, output, "events", "items", "revenue");
    }

    static Totals rowsOf(SparkSession spark, Path output) {
      return read(spark, output, null, "quantity", "amount");
    }

    private static Totals read(
        SparkSession spark, Path output, String events, String items, String revenue) {
      Row r =
          spark
              .read()
              .parquet(output.toString())
              .agg(
                  count(lit(1)).cast("long"),
                  (events == null ? lit(0L) : sum(events)).cast("long"),
                  sum(items).cast("long"),
                  sum(revenue).cast("double"))
              .head();
      return new Totals(r.getLong(0), r.getLong(1), r.getLong(2), r.getDouble(3));
    }

    boolean same(Totals other) {
      return rows == other.rows
          && events == other.events
          && items == other.items
          && Math.abs(revenue - other.revenue) <= 1e-9 * Math.max(1, Math.abs(revenue));
    }
  }

  static void requireSame(Totals a, Totals b, String nameA, String nameB) {
    if (!a.same(b)) {
      throw new IllegalStateException(
          nameA + " and " + nameB + " wrote different results: " + a + " vs " + b);
    }
  }

  /**
   * The median of the repetitions' ratios {@code a[i] / b[i]}: runs of one repetition ran side by
   * side, so a slow spell of this shared machine slows both and cancels out of their ratio.
   */
  static String ratio(List<Double> a, List<Double> b) {
    if (a.size() != b.size() || a.isEmpty()) {
      throw new IllegalArgumentException(
          "ratios need one time of each per repetition: " + a.size() + " vs " + b.size());
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      ratios.add(a.get(i) / b.get(i));
    }
    return String.format(Locale.ROOT, "%.3f", Samples.of(ratios).median());
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  static String rows(long n) {
    return n % 1_000_000 == 0
        ? n / 1_000_000 + "M"
        : n % 1_000 == 0 ? n / 1_000 + "k" : Long.toString(n);
  }

  static String header(String... columns) {
    return "| " + String.join(" | ", columns) + " |\n|" + " --- |".repeat(columns.length) + "\n";
  }

  static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  static String section(String title, String text, String table) {
    return "## " + title + "\n\n" + text + "\n\n" + table;
  }
}
