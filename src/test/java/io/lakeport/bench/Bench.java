package io.lakeport.bench;

import io.lakeport.api.Lakeport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Lakeport's benchmark suite (not part of the test run): generates its data deterministically,
 * measures Lakeport side by side with a hand-written Spark program and DuckDB in one run, and
 * writes the tables to {@code docs/BENCHMARKS.md}. Run it with {@code bin/lakeport bench}.
 *
 * <pre>
 * bin/lakeport bench                          # every case at full size, 3 repetitions
 * bin/lakeport bench --cases 2,7 --reps 5     # some cases
 * bin/lakeport bench --scale quick --out target/bench/BENCHMARKS.md   # a minute-long smoke run
 * </pre>
 */
public final class Bench {
  /** The sizes of one run of the suite. */
  record Scale(
      String name,
      long endToEndRows,
      List<Long> engineRows,
      long memoryRows,
      long compressionRows,
      int smallJobs,
      int schedules,
      int retentionExports,
      int filesPerExport,
      long safetyRows) {
    static Scale of(String name) {
      return switch (name) {
        case "full" ->
            new Scale(
                name,
                1_000_000,
                List.of(10_000_000L, 50_000_000L),
                50_000_000,
                2_000_000,
                20,
                10_000,
                100,
                1_000,
                5_000_000);
        case "quick" ->
            new Scale(
                name, 20_000, List.of(40_000L, 80_000L), 100_000, 20_000, 3, 500, 10, 100, 20_000);
        default -> throw new IllegalArgumentException("--scale is full or quick, not " + name);
      };
    }

    /** The same scale with other sizes for case 2. */
    Scale withEngineRows(List<Long> rows) {
      return new Scale(
          name,
          endToEndRows,
          rows,
          memoryRows,
          compressionRows,
          smallJobs,
          schedules,
          retentionExports,
          filesPerExport,
          safetyRows);
    }
  }

  /** What one run of the suite was given. */
  record Options(Scale scale, Set<Integer> cases, int reps, Path work, Path out, Path repo) {
    static Options parse(String[] args) {
      Scale scale = Scale.of("full");
      Set<Integer> cases = new LinkedHashSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
      int reps = 3;
      Path work = Path.of("target", "bench");
      Path out = Path.of("docs", "BENCHMARKS.md");
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        String value = args[i + 1];
        switch (args[i]) {
          case "--scale" -> scale = Scale.of(value);
          case "--cases" -> {
            cases = new LinkedHashSet<>();
            for (String c : value.split(",")) {
              cases.add(Integer.parseInt(c.trim()));
            }
          }
          case "--reps" -> reps = Integer.parseInt(value);
          case "--engine-rows" ->
              scale =
                  scale.withEngineRows(
                      Arrays.stream(value.split(",")).map(v -> Long.parseLong(v.trim())).toList());
          case "--work" -> work = Path.of(value);
          case "--out" -> out = Path.of(value);
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; options: --scale full|quick, --cases 1,2,..,9, --reps N, --engine-rows N,M, --work DIR, --out FILE");
        }
      }
      return new Options(
          scale,
          cases,
          reps,
          work.toAbsolutePath(),
          out.toAbsolutePath(),
          Path.of("").toAbsolutePath());
    }
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path home = BenchHome.create(options.work(), options.repo());
    Lakeport lakeport = Lakeport.at(home);
    SparkSession spark = lakeport.spark();
    BenchCases cases = new BenchCases(options, lakeport, spark);
    List<String> sections = new ArrayList<>();
    Instant started = Instant.now();
    for (int c : options.cases()) {
      progress("case " + c + " started");
      sections.add(cases.run(c));
      write(options, spark, sections, started);
      progress("case " + c + " done; " + options.out() + " written");
    }
    spark.stop();
  }

  static void progress(String line) {
    System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " bench: " + line);
  }

  private static void write(
      Options options, SparkSession spark, List<String> sections, Instant started)
      throws IOException {
    StringBuilder doc = new StringBuilder();
    doc.append("# Benchmarks\n\n")
        .append(
            "Lakeport side by side with a hand-written Spark program and DuckDB, measured in one run of\n")
        .append("`bin/lakeport bench` (scale `")
        .append(options.scale().name())
        .append("`, ")
        .append(options.reps())
        .append(" repetitions unless a case says otherwise). Times are seconds as\n")
        .append(
            "min / median / max. A ratio is the median of the repetitions' ratios: the runs of one\n")
        .append(
            "repetition run back to back (in every order in turn), so a slow spell of this small, shared\n")
        .append(
            "machine slows both sides alike. Read the ratios, not the absolute times. The data is generated deterministically\n")
        .append(
            "(`BenchData`: web-shop events over November 2026, every value a hash of the row number).\n\n")
        .append("## Reproduce\n\n```bash\n")
        .append(
            "bin/lakeport bench                                # every case, about 50 minutes here\n")
        .append("bin/lakeport bench --cases 2 --reps 5             # one case, more repetitions\n")
        .append(
            "bin/lakeport bench --scale quick --out target/bench/BENCHMARKS.md   # smoke run, about 2 minutes\n")
        .append("```\n\n")
        .append(
            "Code: `src/test/java/io/lakeport/bench/` (the jobs are written by `BenchJobs`, the plain Spark\n")
        .append(
            "program is `PlainSpark`). Generated data, exports and logs stay under `target/bench/`.\n\n")
        .append("## Machine and versions\n\n")
        .append(machine(spark))
        .append('\n')
        .append("Run started ")
        .append(started.truncatedTo(ChronoUnit.SECONDS))
        .append(", finished ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(".\n\n");
    sections.forEach(section -> doc.append(section).append('\n'));
    Files.createDirectories(options.out().getParent());
    Files.writeString(options.out(), doc.toString());
  }

  private static String machine(SparkSession spark) throws IOException {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("unknown");
    String memory =
        Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal"))
            .findFirst()
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB")
            .orElse("unknown");
    return "| | |\n| --- | --- |\n"
        + "| CPU | "
        + Runtime.getRuntime().availableProcessors()
        + " cores, "
        + cpu
        + " |\n"
        + "| Memory | "
        + memory
        + " |\n"
        + "| Java | "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.version")
        + " |\n"
        + "| Spark | "
        + spark.version()
        + " (local[*], 8 shuffle partitions, adaptive execution on) |\n"
        + "| DuckDB | "
        + DuckDb.version()
        + " (JDBC, threads = "
        + DuckDb.THREADS
        + ") |\n"
        + "| Benchmark JVM | "
        + String.join(
            " ",
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx"))
                .toList())
        + " |\n";
  }
}
