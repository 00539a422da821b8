package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs one job twice through {@link ExportRunner} in the same Comet-loaded Spark context, once from
 * a session with {@code spark.comet.enabled=true} and once with it false, and compares the rows row
 * for row: exact for every type but doubles (within 1e-12 relative, NaN equal to NaN), nulls equal
 * to nulls, in any row order. A case runs {@link Through#EXPORT} (a whole run; both exports read
 * back with plain Spark, or POI for workbooks) or {@link Through#PLAN} (the job's compiled plan
 * over its source, as {@code lakeport explain} and preview get it, collected: the same Spark plan a
 * run writes, at a fraction of a run's cost).
 */
final class Equivalence {
  /** Relative tolerance for doubles: summation order differs between engines, nothing more. */
  static final double TOLERANCE = 1e-12;

  /**
   * One job: its time zone, {@code plan} block, sink format (with more sink settings), the node
   * names (prefixes) its Comet run must execute, and those it must not (a feature Lakeport turns
   * off in Comet).
   */
  record Case(
      String name,
      String zone,
      String plan,
      String format,
      String sink,
      Through through,
      List<String> runsNatively,
      List<String> staysOnSpark) {

    Case natively(String... operators) {
      return new Case(name, zone, plan, format, sink, through, List.of(operators), staysOnSpark);
    }

    Case onSpark(String... expressions) {
      return new Case(name, zone, plan, format, sink, through, runsNatively, List.of(expressions));
    }

    Case exported() {
      return new Case(name, zone, plan, format, sink, Through.EXPORT, runsNatively, staysOnSpark);
    }

    String slug() {
      return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
  }

  /** How far a case runs: the compiled plan collected, or a whole run and its files read back. */
  enum Through {
    PLAN,
    EXPORT
  }

  /** What an export holds, read back, and the operators its run executed. */
  record Output(
      List<String> columns, List<List<Object>> rows, TreeSet<String> nodes, String plans) {}

  private final SparkSession on;
  private final SparkSession off;
  private final SparkSession reader;
  private final PlanNodes nodes;
  private final Path dir;
  private final String source;
  private final Site site = Fixtures.site();

  Equivalence(SparkSession comet, Path dir, String source) {
    this.on = comet.newSession();
    on.conf().set(Acceleration.ENABLED, "true");
    this.off = comet.newSession();
    off.conf().set(Acceleration.ENABLED, "false");
    this.reader = comet.newSession();
    reader.conf().set(Acceleration.ENABLED, "false");
    reader.conf().set("spark.sql.datetime.java8API.enabled", "true");
    reader.conf().set("spark.sql.session.timeZone", "UTC");
    this.nodes = PlanNodes.listen(comet.sparkContext());
    this.dir = dir;
    this.source = source;
  }

  SparkSession reader() {
    return reader;
  }

  /** A session of the context with Comet on. */
  SparkSession on() {
    return on;
  }

  /** A session of the context with Comet off (its plugin loaded, its planning rules idle). */
  SparkSession off() {
    return off;
  }

  /** Runs {@code c} with Comet on and off; asserts equal outputs and where each ran. */
  void check(Case c) throws Exception {
    Output plain = run(c, off, "off");
    Output comet = run(c, on, "on");
    assertThat(plain.rows()).as(c.name() + ": the case must export rows").isNotEmpty();
    assertThat(plain.nodes())
        .as(c.name() + ": plain Spark runs no Comet operator\n" + plain.plans())
        .noneMatch(n -> n.startsWith("Comet"));
    assertThat(comet.nodes())
        .as(c.name() + ": Comet runs at least one operator natively\n" + comet.plans())
        .anyMatch(n -> n.startsWith("Comet"));
    for (String operator : c.runsNatively()) {
      assertThat(comet.nodes())
          .as(c.name() + ": Comet runs " + operator + "\n" + comet.plans())
          .anyMatch(n -> n.startsWith(operator));
    }
    List<String> lines = comet.plans().lines().map(String::strip).toList();
    for (String expression : c.staysOnSpark()) {
      assertThat(lines)
          .as(c.name() + ": Spark computes " + expression + "\n" + comet.plans())
          .anyMatch(l -> !l.startsWith("Comet") && l.contains(expression))
          .noneMatch(l -> l.startsWith("Comet") && l.contains(expression));
    }
    assertThat(comet.columns()).as(c.name() + ": columns").isEqualTo(plain.columns());
    assertSameRows(c.name(), comet.rows(), plain.rows());
  }

  Output run(Case c, SparkSession session, String label) throws Exception {
    Path caseDir = dir.resolve(c.slug());
    Path out = caseDir.resolve(label);
    JobSpec job =
        Fixtures.job(
            caseDir,
            """
            name = %s
            time-zone = "%s"
            source { format = parquet, path = "%s" }
            plan { %s }
            sink { format = %s, path = "%s" %s }
            """
                .formatted("eq-" + c.slug(), c.zone(), source, c.plan(), c.format(), out, c.sink()),
            Map.of());
    nodes.clear();
    ExportRunner runner = new ExportRunner(session, Clock.systemUTC());
    if (c.through() == Through.PLAN) {
      Dataset<Row> output = runner.plan(job).output();
      List<String> columns = columns(output);
      List<List<Object>> rows = values(output);
      return new Output(columns, rows, nodes.names(), nodes.describe());
    }
    runner.run(job);
    TreeSet<String> names = nodes.names();
    String plans = nodes.describe();
    return switch (c.format()) {
      case "parquet", "avro", "delta" ->
          frame(reader.read().format(c.format()).load(out.toString()), names, plans);
      case "csv", "json", "xml" -> frame(reader.read().text(out.toString()), names, plans);
      case "excel" -> new Output(List.of("cells"), workbooks(out), names, plans);
      default -> throw new IllegalArgumentException("no reader for " + c.format());
    };
  }

  private static Output frame(Dataset<Row> df, TreeSet<String> names, String plans) {
    return new Output(columns(df), values(df), names, plans);
  }

  private static List<String> columns(Dataset<Row> df) {
    return Arrays.stream(df.schema().fields())
        .map(f -> f.name() + " " + f.dataType().sql())
        .toList();
  }

  private static List<List<Object>> values(Dataset<Row> df) {
    List<List<Object>> rows = new ArrayList<>();
    for (Row row : df.collectAsList()) {
      List<Object> values = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        values.add(row.get(i));
      }
      rows.add(values);
    }
    return rows;
  }

  /** Every sheet row of every workbook, each cell as its type and value. */
  private static List<List<Object>> workbooks(Path out) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(out)) {
      files = walk.filter(p -> p.toString().endsWith(".xlsx")).sorted().toList();
    }
    assertThat(files).as("workbooks in " + out).isNotEmpty();
    List<List<Object>> rows = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file);
          Workbook book = WorkbookFactory.create(in)) {
        for (Sheet sheet : book) {
          for (org.apache.poi.ss.usermodel.Row row : sheet) {
            List<Object> cells = new ArrayList<>();
            for (Cell cell : row) {
              cells.add(cell.getCellType() + ":" + cell);
            }
            rows.add(cells);
          }
        }
      }
    }
    return rows;
  }

  static void assertSameRows(String name, List<List<Object>> comet, List<List<Object>> plain) {
    List<List<Object>> a = sorted(comet);
    List<List<Object>> b = sorted(plain);
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < Math.max(a.size(), b.size()) && differences.size() < 10; i++) {
      List<Object> x = i < a.size() ? a.get(i) : null;
      List<Object> y = i < b.size() ? b.get(i) : null;
      if (x == null || y == null || !same(x, y)) {
        differences.add("comet " + x + "\n  spark " + y);
      }
    }
    assertThat(differences)
        .as(
            name
                + ": rows with Comet ("
                + a.size()
                + ") against plain Spark ("
                + b.size()
                + "), first differences")
        .isEmpty();
  }

  private static boolean same(List<Object> x, List<Object> y) {
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      if (!same(x.get(i), y.get(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean same(Object x, Object y) {
    if (x instanceof Double a && y instanceof Double b) {
      if (a.isNaN() || b.isNaN() || a.isInfinite() || b.isInfinite()) {
        return a.equals(b) || a.isNaN() && b.isNaN();
      }
      return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }
    if (x instanceof java.math.BigDecimal a && y instanceof java.math.BigDecimal b) {
      return a.equals(b); // value and scale
    }
    return x == null ? y == null : x.equals(y);
  }

  /** Rows ordered by their exact values first, doubles last, so equal rows pair up. */
  private static List<List<Object>> sorted(List<List<Object>> rows) {
    Comparator<List<Object>> exact = Comparator.comparing(r -> key(r, false));
    return rows.stream()
        .sorted(exact.thenComparing(r -> key(r, true)))
        .collect(Collectors.toList());
  }

  private static String key(List<Object> row, boolean doubles) {
    return row.stream()
        .map(v -> (v instanceof Double) == doubles ? String.valueOf(v) : "")
        .collect(Collectors.joining("\u0000"));
  }

  /** The node names of {@code c}'s Comet run, for cases that inspect the plan themselves. */
  Set<String> cometNodes(Case c) throws Exception {
    return run(c, on, "probe").nodes();
  }
}
