package io.lakeport.bench;

import static io.lakeport.bench.BenchCases.collectedThenTime;
import static io.lakeport.bench.BenchCases.delete;
import static io.lakeport.bench.BenchCases.header;
import static io.lakeport.bench.BenchCases.ratio;
import static io.lakeport.bench.BenchCases.row;
import static io.lakeport.bench.BenchCases.rows;
import static io.lakeport.bench.BenchCases.section;

import io.lakeport.api.Lakeport;
import io.lakeport.run.Acceleration;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * Case 2: Lakeport with the Comet accelerator, Lakeport without it, a hand-written Spark program
 * and DuckDB, in one JVM on one Spark context that loaded Comet's plugin: the aggregate job at
 * every size and the row export at the first size.
 */
final class EnginesCase {
  /** The least repetitions at full scale; runs of a few seconds take more (see {@link #reps}). */
  private static final int ENGINE_REPS = 9;

  private static final int SHORT_ENGINE_REPS = 15;

  /**
   * Repetitions of the row export: its runs take ten seconds and more here (minutes at 50M rows),
   * so the machine's noise weighs less and fewer repetitions give the same precision.
   */
  private static final int ROW_EXPORT_REPS = 5;

  private static final int LONG_ROW_EXPORT_REPS = 3;

  /**
   * Below this many rows a run takes a few seconds here, and this machine's noise is +-20% of it.
   */
  private static final long SHORT_ENGINE_ROWS = 20_000_000;

  /** The two jobs of the case. */
  enum Kind {
    AGGREGATE("aggregate"),
    ROWS("row export");

    private final String title;

    Kind(String title) {
      this.title = title;
    }
  }

  private final Bench.Options options;
  private final Lakeport lakeport;
  private final SparkSession accelerated;
  private final SparkSession plain;
  private final Path data;
  private final Path exports;
  private final BenchJobs jobs;

  /**
   * {@code spark} is Lakeport's session, whose context loaded Comet (the bench's site sets {@code
   * lakeport.spark.accelerator = comet}); plain runs use a new session of it with Comet turned off.
   */
  EnginesCase(Bench.Options options, Lakeport lakeport, SparkSession spark) {
    if (!Acceleration.active(spark)) {
      throw new IllegalStateException(
          "Cannot run case 2: Comet is not active in the bench's session: "
              + Acceleration.unavailable().orElse("spark.comet.enabled is not true"));
    }
    this.options = options;
    this.lakeport = lakeport;
    this.accelerated = spark;
    this.plain = plainSession(spark);
    this.data = options.work().resolve("data");
    this.exports = options.work().resolve("exports");
    this.jobs = new BenchJobs(options.work().resolve("jobs"));
  }

  /** A session of {@code spark}'s context whose plans stay on Spark (the plugin stays loaded). */
  static SparkSession plainSession(SparkSession spark) {
    SparkSession session = spark.newSession();
    session.conf().set(Acceleration.ENABLED, "false");
    return session;
  }

  String run() throws Exception {
    StringBuilder table =
        new StringBuilder(
            header(
                "Job",
                "Rows",
                "Lakeport + Comet (s)",
                "Lakeport (s)",
                "Plain Spark (s)",
                "DuckDB (s)",
                "Lakeport + Comet / Spark",
                "Lakeport / Spark",
                "DuckDB / Spark"));
    List<Long> sizes = options.scale().engineRows();
    try (DuckDb duck = new DuckDb()) {
      for (Kind kind : Kind.values()) {
        for (long size : sizes) {
          table.append(measure(kind, size, duck));
        }
      }
    }
    String reps =
        Arrays.stream(Kind.values())
            .flatMap(
                kind ->
                    sizes.stream()
                        .map(size -> kind.title + " " + rows(size) + ": " + reps(kind, size)))
            .collect(Collectors.joining(", "));
    return section(
        "2. Lakeport (with and without Comet) vs plain Spark vs DuckDB, same JVM (repetitions "
            + reps
            + ")",
        "Two jobs, each run through Lakeport's Java API (`Lakeport.job(file).run(spark)`: validation,\n"
            + "staging, publish, manifest, run history) with the Comet accelerator and without it, by a\n"
            + "hand-written Spark program (`PlainSpark`) and by DuckDB. The aggregate job is case 1's\n"
            + "(filter, daily aggregate per country and category, one folder per day); DuckDB runs it as\n"
            + "one `COPY (SELECT ...) TO ... (FORMAT PARQUET, PARTITION_BY (event_day))`. The row export\n"
            + "keeps `status <> 'cancelled' and amount > 5`, derives `event_day` and `line_total`\n"
            + "(amount times quantity) and writes zstd Parquet, one folder per day: plain Spark with\n"
            + "`write.partitionBy(\"event_day\")` as a user would write it (no repartition), DuckDB with\n"
            + "`COPY ... (FORMAT PARQUET, PARTITION_BY (event_day))`. All four run in one Spark context\n"
            + "that loaded Comet's plugin, shuffle manager and off-heap memory (the bench's site sets\n"
            + "`lakeport.spark.accelerator = comet`): Lakeport + Comet gets the session with\n"
            + "`spark.comet.enabled=true`; Lakeport and plain Spark get a new session with it `false`, so\n"
            + "their plans are Spark's own (the plugin is loaded but disabled). A first, untimed round\n"
            + "checks that all four wrote the same rows (per day: rows and sums of the numeric columns),\n"
            + "a second (the aggregate's only) warms up further; the order of the engines changes\n"
            + "between repetitions (the first engine every repetition in turn), each timed run starts\n"
            + "after a full garbage collection, and each ratio is the median of the repetitions' ratios.",
        table.toString());
  }

  /** One row of the table: the four engines on one job at one size. */
  private String measure(Kind kind, long size, DuckDb duck) {
    Path input = BenchData.events(plain, data, size);
    String name = (kind == Kind.AGGREGATE ? "engines-" : "engines-rows-") + size;
    Path acceleratedOut = exports.resolve(name + "-lakeport-comet");
    Path ourOut = exports.resolve(name + "-lakeport");
    Path sparkOut = exports.resolve(name + "-spark");
    Path duckOut = exports.resolve(name + "-duckdb");
    Path acceleratedJob = job(kind, name + "-comet", input, acceleratedOut);
    Path ourJob = job(kind, name, input, ourOut);
    List<Double> withComet = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    List<Double> spark = new ArrayList<>();
    List<Double> duckdb = new ArrayList<>();
    Runnable acceleratedRun =
        () -> withComet.add(collectedThenTime(() -> lakeport.job(acceleratedJob).run(accelerated)));
    Runnable lakeportRun = () -> ours.add(collectedThenTime(() -> lakeport.job(ourJob).run(plain)));
    Runnable sparkRun =
        () ->
            spark.add(
                collectedThenTime(
                    () -> {
                      plainSpark(kind, input, sparkOut);
                      return null;
                    }));
    Runnable duckRun =
        () ->
            duckdb.add(
                collectedThenTime(
                    () -> {
                      delete(duckOut);
                      duckDb(duck, kind, input, duckOut);
                      return null;
                    }));
    Bench.progress("case 2: " + kind.title + ", " + rows(size) + " rows");
    // a first round warms the JVM and checks that the four wrote the same numbers
    acceleratedRun.run();
    lakeportRun.run();
    sparkRun.run();
    duckRun.run();
    DayTotals expected = DayTotals.of(plain, sparkOut, kind);
    expected.requireSame(DayTotals.of(plain, acceleratedOut, kind), "Lakeport + Comet");
    expected.requireSame(DayTotals.of(plain, ourOut, kind), "Lakeport");
    expected.requireSame(DayTotals.of(plain, duckOut, kind), "DuckDB");
    if (kind == Kind.AGGREGATE) {
      // a second untimed round: the JIT and the heap settle after the first (the row export's
      // first round alone is minutes of work)
      BenchCases.alternate(5, acceleratedRun, lakeportRun, sparkRun, duckRun);
    }
    List.of(withComet, ours, spark, duckdb).forEach(List::clear);
    for (int rep = 0; rep < reps(kind, size); rep++) {
      BenchCases.alternate(rep, acceleratedRun, lakeportRun, sparkRun, duckRun);
    }
    Bench.progress(
        "case 2: "
            + kind.title
            + ", "
            + rows(size)
            + ": Lakeport + Comet / Spark "
            + ratio(withComet, spark)
            + ", Lakeport / Spark "
            + ratio(ours, spark)
            + ", DuckDB / Spark "
            + ratio(duckdb, spark));
    return row(
        kind.title,
        rows(size),
        Samples.of(withComet).spread(2),
        Samples.of(ours).spread(2),
        Samples.of(spark).spread(2),
        Samples.of(duckdb).spread(2),
        ratio(withComet, spark),
        ratio(ours, spark),
        ratio(duckdb, spark));
  }

  private Path job(Kind kind, String name, Path input, Path output) {
    return switch (kind) {
      case AGGREGATE -> jobs.aggregate(name, input, output, "parquet", "zstd");
      case ROWS -> jobs.rowExport(name, input, output);
    };
  }

  private void plainSpark(Kind kind, Path input, Path output) {
    switch (kind) {
      case AGGREGATE ->
          PlainSpark.aggregate(plain, input.toString(), output.toString(), "parquet", "zstd");
      case ROWS -> PlainSpark.rowExport(plain, input.toString(), output.toString());
    }
  }

  private static void duckDb(DuckDb duck, Kind kind, Path input, Path output) {
    try {
      switch (kind) {
        case AGGREGATE -> duck.aggregate(input, output);
        case ROWS -> duck.rowExport(input, output);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed: " + e.getMessage(), e);
    }
  }

  /**
   * Case 2's repetitions: the aggregate's ratios are the suite's finest measurement (a few percent
   * on runs of seconds), so the full scale takes at least {@link #ENGINE_REPS}; runs of a few
   * seconds, where a slow spell of the machine weighs most, take {@link #SHORT_ENGINE_REPS}. The
   * row export's long runs take {@link #ROW_EXPORT_REPS} and {@link #LONG_ROW_EXPORT_REPS}.
   */
  private int reps(Kind kind, long size) {
    if (options.scale().name().equals("quick")) {
      return options.reps();
    }
    boolean small = size < SHORT_ENGINE_ROWS;
    int least =
        switch (kind) {
          case AGGREGATE -> small ? SHORT_ENGINE_REPS : ENGINE_REPS;
          case ROWS -> small ? ROW_EXPORT_REPS : LONG_ROW_EXPORT_REPS;
        };
    return Math.max(options.reps(), least);
  }
}
