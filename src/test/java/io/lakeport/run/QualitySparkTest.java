package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobSpec;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Verifier;
import io.lakeport.source.SourceRead;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quality rules on planted bad rows: the rows each rule fails are known from how the data was made
 * (computed here in plain Java), and the manifest, the export and {@code _rejects} must match them
 * exactly; thresholds, unique keys and row-count changes stop a run before it publishes.
 */
class QualitySparkTest {
  private static final int ROWS = 1000;
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("customer", DataTypes.StringType)
          .add("score", DataTypes.DoubleType)
          .add("email", DataTypes.StringType)
          .add("day_text", DataTypes.StringType);
  private final SparkSession spark = TestSpark.session();

  @TempDir Path dir;

  /**
   * Row i: customer null when i % 97 == 3, score out of [0, 1] when i % 89 == 5 or i % 194 == 3 (so
   * some rows fail two rules), bad email when i % 83 == 1, bad date when i % 101 == 7.
   */
  private static List<Row> rows(int count, long duplicateId) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          RowFactory.create(
              i == count - 1 && duplicateId >= 0 ? duplicateId : (long) i,
              i % 97 == 3 ? null : "c" + (i % 10),
              i % 89 == 5 || i % 194 == 3 ? 1.5 + i : (i % 100) / 100.0,
              i % 83 == 1 ? "nobody" : "u" + i + "@example.org",
              i % 101 == 7 ? "2026-13-40" : "2026-10-" + String.format("%02d", 1 + i % 28)));
    }
    return rows;
  }

  @Test
  void quarantinesExactlyThePlantedRowsAndCountsEveryRule() throws Exception {
    List<Row> data = rows(ROWS, -1);
    Set<Long> nullCustomer = ids(data, r -> r.isNullAt(1));
    Set<Long> badScore = ids(data, r -> r.getDouble(2) < 0 || r.getDouble(2) > 1);
    Set<Long> badEmail = ids(data, r -> !r.getString(3).contains("@"));
    Set<Long> badDate = ids(data, r -> r.getString(4).startsWith("2026-13"));
    Set<Long> quarantined = new TreeSet<>(nullCustomer);
    quarantined.addAll(badScore);
    quarantined.addAll(badDate);
    assertThat(nullCustomer).isNotEmpty();
    assertThat(badScore).as("some rows fail two rules").containsAnyElementsOf(nullCustomer);
    Path out = dir.resolve("out");

    RunResult result =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                job(
                    data,
                    out,
                    """
        max-failed-ratio = 5%
        rules = [
          { column = customer, not-null = true }
          { name = score-range, column = score, between = [0, 1] }
          { column = email, regex = "@", action = warn }
          { column = day_text, date-format = "yyyy-MM-dd" }
          { unique = [id], action = fail }
          { row-count { min = 1 }, action = fail }
        ]"""));

    Manifest m = result.manifest();
    Map<String, Manifest.RuleResult> rules =
        m.quality().rules().stream().collect(Collectors.toMap(Manifest.RuleResult::rule, r -> r));
    assertThat(rules.get("{column:customer,not-null:true}").failed())
        .isEqualTo(nullCustomer.size());
    assertThat(rules.get("{column:customer,not-null:true}").checked()).isEqualTo(ROWS);
    assertThat(rules.get("score-range").failed()).isEqualTo(badScore.size());
    assertThat(rules.get("score-range").outcome()).isEqualTo("quarantined");
    assertThat(rules.get("{column:email,regex:@}"))
        .extracting(Manifest.RuleResult::failed, Manifest.RuleResult::outcome)
        .containsExactly((long) badEmail.size(), "warned");
    assertThat(rules.get("{column:day_text,date-format:yyyy-MM-dd}").failed())
        .isEqualTo(badDate.size());
    assertThat(rules.get("unique(id)").outcome()).isEqualTo("passed");
    assertThat(rules.get("row-count").outcome()).isEqualTo("passed");
    assertThat(m.quality().rejectedRows()).isEqualTo(quarantined.size());
    assertThat(m.totals().rows()).isEqualTo(ROWS - quarantined.size());

    Set<Long> exported =
        new TreeSet<>(
            spark.read().parquet(out.toString()).select("id").as(Encoders.LONG()).collectAsList());
    assertThat(exported)
        .doesNotContainAnyElementsOf(quarantined)
        .hasSize(ROWS - quarantined.size());
    Path rejects = Path.of(URI.create(m.quality().rejectsPath()));
    assertThat(rejects).isEqualTo(out.resolve("_rejects").resolve(m.runId()));
    List<Row> rejected = spark.read().json(rejects.resolve("rules").toString()).collectAsList();
    Set<Long> rejectedIds =
        rejected.stream()
            .map(r -> r.getLong(r.fieldIndex("id")))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(rejectedIds).isEqualTo(quarantined);
    Row both =
        rejected.stream()
            .filter(
                r -> {
                  long id = r.getLong(r.fieldIndex("id"));
                  return nullCustomer.contains(id) && badScore.contains(id);
                })
            .findFirst()
            .orElseThrow();
    assertThat(both.getString(both.fieldIndex("_lakeport_rules")))
        .isEqualTo("{column:customer,not-null:true}, score-range");
    assertThat(both.getString(both.fieldIndex("_lakeport_reason")))
        .contains("customer = null")
        .contains("score-range: score = ");
    assertThat(new Verifier(new Configuration()).verify(out.toString()).intact()).isTrue();
  }

  @Test
  void aRuleAboveItsThresholdAUniqueKeyAndARowDropStopTheRunBeforePublishing() throws Exception {
    Path out = dir.resolve("out");
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    List<Row> data = rows(ROWS, -1);
    long nulls = ids(data, r -> r.isNullAt(1)).size();

    RunException threshold =
        catchThrowableOfType(
            RunException.class,
            () ->
                runner.run(
                    job(
                        data,
                        out,
                        """
        rules = [ { column = customer, not-null = true, max-failed-ratio = 0.001 } ]""")));
    assertThat(threshold)
        .hasMessageEndingWith(
            String.format(
                Locale.ROOT,
                "quality rules failed, so nothing"
                    + " was published: {column:customer,not-null:true}: %d of %,d rows (%.2f%%) failed, above max-failed-ratio 0.10%%",
                nulls,
                ROWS,
                nulls * 100.0 / ROWS));
    assertThat(out.resolve("_SUCCESS")).doesNotExist();

    RunException unique =
        catchThrowableOfType(
            RunException.class,
            () ->
                runner.run(
                    job(
                        rows(ROWS, 10),
                        out,
                        """
        rules = [ { unique = [id], action = fail } ]""")));
    assertThat(unique)
        .hasMessageEndingWith(
            "unique(id): 1 of 1,000 rows (0.10%) failed, above max-failed-ratio 0.00%");

    String change = "rules = [ { row-count { max-drop = 50% }, action = fail } ]";
    runner.run(job(data, out, change));
    RunException drop =
        catchThrowableOfType(RunException.class, () -> runner.run(job(rows(400, -1), out, change)));
    assertThat(drop)
        .hasMessageEndingWith(
            "row-count: 400 rows, 60.0% fewer than the previous run's 1000 (max-drop 50.0%)");
    assertThat(spark.read().parquet(out.toString()).count())
        .as("the previous export stays")
        .isEqualTo(ROWS);
    PublishSparkTest.assertNoLeftovers(out);
  }

  @Test
  void aUniqueKeyIsCheckedOnTheWrittenFilesAndAKeyWithAPartitionColumnOnTheRowsAgain()
      throws Exception {
    // the last row repeats id 19, whose customer is the same (c9): one duplicate for both keys
    List<Row> data = rows(ROWS, 19);
    List<Row> kept = data.stream().filter(r -> !r.isNullAt(1)).toList();
    Path out = dir.resolve("keys");
    JobSpec job =
        job(
            data,
            out,
            ", partition-by = [customer]",
            """
        max-failed-ratio = 5%
        rules = [
          { column = customer, not-null = true }
          { unique = [id], action = warn }
          { unique = [customer, id], action = warn }
        ]""");
    PlanNodes plans = PlanNodes.listen(spark.sparkContext());
    Manifest m;
    List<Map<String, String>> scans;
    try {
      plans.clear();
      m = new ExportRunner(spark, Clock.systemUTC()).run(job).manifest();
      scans = plans.scans();
    } finally {
      spark.sparkContext().removeSparkListener(plans);
    }

    Map<String, Manifest.RuleResult> rules =
        m.quality().rules().stream().collect(Collectors.toMap(Manifest.RuleResult::rule, r -> r));
    assertThat(rules.get("unique(id)").failed())
        .isEqualTo(extraRows(kept, r -> List.of(r.get(0))))
        .isEqualTo(1);
    assertThat(rules.get("unique(customer, id)").failed())
        .isEqualTo(extraRows(kept, r -> List.of(r.get(1), r.get(0))))
        .isEqualTo(1);
    assertThat(rules.get("unique(id)").checked()).isEqualTo(kept.size());
    String staged = out.resolve("_lakeport").resolve("staging").resolve(m.runId()).toString();
    assertThat(scans)
        .as("the key id is read from the staged files, and only it: %s", plans.describe())
        .anySatisfy(
            scan -> {
              assertThat(scan.get("Location")).contains(staged);
              assertThat(scan.get("ReadSchema")).isEqualTo("struct<id:bigint>");
            });
  }

  /** Rows beyond the first of each key, counted in Java. */
  private static long extraRows(List<Row> rows, Function<Row, List<Object>> key) {
    Map<List<Object>, Long> counts =
        rows.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    return counts.values().stream().mapToLong(n -> n - 1).sum();
  }

  @Test
  void rejectsAreWrittenOnlyWhenRowsFailAndTheCountsMatchASparkQueryOnTheSource() throws Exception {
    String rules =
        """
        max-failed-ratio = 5%
        rules = [
          { column = customer, not-null = true }
          { name = score-range, column = score, between = [0, 1] }
          { column = email, regex = "@", action = warn }
        ]""";
    ExportRunner runner = new ExportRunner(spark, Clock.systemUTC());
    Path clean = dir.resolve("clean");
    List<Row> good =
        rows(ROWS, -1).stream()
            .filter(r -> !r.isNullAt(1) && r.getDouble(2) >= 0 && r.getDouble(2) <= 1)
            .toList();

    Manifest none = runner.run(job(good, clean, rules)).manifest();

    assertThat(none.quality().rejectedRows()).isZero();
    assertThat(none.quality().rejectsPath()).isNull();
    assertThat(clean.resolve("_rejects")).doesNotExist();
    assertThat(none.totals().rows()).isEqualTo(good.size());

    Path out = dir.resolve("out");
    Manifest bad = runner.run(job(rows(ROWS, -1), out, rules)).manifest();

    var source = spark.read().parquet(sourceOf(rows(ROWS, -1)).toString());
    long nulls = source.where("customer IS NULL").count();
    long outOfRange = source.where("NOT (score BETWEEN 0 AND 1)").count();
    long noAt = source.where("NOT email RLIKE '@'").count();
    long quarantined = source.where("customer IS NULL OR NOT (score BETWEEN 0 AND 1)").count();
    Map<String, Manifest.RuleResult> results =
        bad.quality().rules().stream().collect(Collectors.toMap(Manifest.RuleResult::rule, r -> r));
    assertThat(quarantined).isPositive();
    assertThat(results.get("{column:customer,not-null:true}").failed()).isEqualTo(nulls);
    assertThat(results.get("score-range").failed()).isEqualTo(outOfRange);
    assertThat(results.get("{column:email,regex:@}").failed()).isEqualTo(noAt);
    assertThat(bad.quality().rejectedRows()).isEqualTo(quarantined);
    assertThat(bad.totals().rows()).isEqualTo(source.count() - quarantined);
    Path rejects = Path.of(URI.create(bad.quality().rejectsPath())).resolve("rules");
    assertThat(spark.read().json(rejects.toString()).count()).isEqualTo(quarantined);
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(bad.totals().rows());
  }

  @Test
  void aSourceThatReadsOtherRowsEachTimeStillGetsTheRejectsTheWriteSetAside() throws Exception {
    // each read of the query draws its null customers anew, as a live database table may change
    String url = "jdbc:h2:mem:live";
    String query =
        "SELECT X AS ID, CASE WHEN RAND() < 0.2 THEN NULL ELSE 'c' END AS CUSTOMER"
            + " FROM SYSTEM_RANGE(1, 2000)";
    Path out = dir.resolve("live");

    Manifest m =
        new ExportRunner(spark, Clock.systemUTC())
            .run(
                Fixtures.job(
                    dir,
                    """
        name = live-quality
        source { format = jdbc, url = "%s", query = "%s" }
        sink { format = parquet, path = "%s", mode = overwrite }
        quality {
          max-failed-ratio = 50%%
          rules = [ { column = CUSTOMER, not-null = true } ]
        }
        """
                        .formatted(url, query, out),
                    Map.of()))
            .manifest();

    Set<Long> exported =
        new TreeSet<>(
            spark.read().parquet(out.toString()).select("ID").as(Encoders.LONG()).collectAsList());
    List<Row> rejected =
        spark
            .read()
            .json(Path.of(URI.create(m.quality().rejectsPath())).resolve("rules").toString())
            .collectAsList();
    Set<Long> rejectedIds =
        rejected.stream()
            .map(r -> r.getLong(r.fieldIndex("ID")))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(rejectedIds).hasSize(rejected.size()).doesNotContainAnyElementsOf(exported);
    Set<Long> all = new TreeSet<>(exported);
    all.addAll(rejectedIds);
    assertThat(all).hasSize(2000).contains(1L, 2000L);
    assertThat(m.quality().rejectedRows()).isEqualTo(rejected.size()).isPositive();
    assertThat(m.quality().rules().get(0).failed()).isEqualTo(rejected.size());
    assertThat(m.totals().rows()).isEqualTo(exported.size());
  }

  @Test
  void aRejectsPassThatFindsOtherRowsThanTheWriteFailsNamingBothCounts() throws Exception {
    JobSpec job =
        job(
            rows(10, -1),
            dir.resolve("unused"),
            """
        max-failed-ratio = 50%
        rules = [ { column = flag, not-null = true } ]""");
    spark.udf().register("shifting_flag", new ShiftingFlag(), DataTypes.StringType);
    var data = spark.range(100).selectExpr("id", "shifting_flag(id) AS flag");
    Shift.changed = false;

    QualityGate pinned = new QualityGate(job.quality(), "pinned-run");
    pinned
        .apply(data, job, SourceRead.Stability.PINNED)
        .write()
        .parquet(dir.resolve("pinned").toString());
    Shift.changed = true;
    RunException changed =
        catchThrowableOfType(
            RunException.class,
            () -> pinned.writeRejects(dir.resolve("pinned-rejects").toString()));

    assertThat(pinned.rejected()).isEqualTo(10);
    assertThat(changed)
        .hasMessageStartingWith(
            "Cannot write the quarantined rows for job quality-test (run pinned-run): the export's"
                + " write set aside 10 rows")
        .hasMessageContaining("found 20: the source changed during the run");

    Shift.changed = false;
    QualityGate live = new QualityGate(job.quality(), "live-run");
    try {
      live.apply(data, job, SourceRead.Stability.LIVE)
          .write()
          .parquet(dir.resolve("live").toString());
      Shift.changed = true;
      assertThat(live.writeRejects(dir.resolve("live-rejects").toString())).isTrue();
    } finally {
      live.release();
      Shift.changed = false;
    }
    assertThat(spark.read().json(dir.resolve("live-rejects").toString()).count()).isEqualTo(10);
    assertThat(spark.read().parquet(dir.resolve("live").toString()).count()).isEqualTo(90);
  }

  /** Whether {@link ShiftingFlag} has changed its mind (executors run in this JVM). */
  private static final class Shift {
    static volatile boolean changed;
  }

  /**
   * Null for every tenth id, or every fifth once {@link Shift#changed}: a source that reads other
   * rows the second time, behind a function Spark takes for deterministic.
   */
  private static final class ShiftingFlag implements UDF1<Long, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(Long id) {
      return id % (Shift.changed ? 5 : 10) == 0 ? null : "x";
    }
  }

  private Path sourceOf(List<Row> data) {
    return dir.resolve("source-" + data.size() + "-" + data.get(data.size() - 1).getLong(0));
  }

  private JobSpec job(List<Row> data, Path out, String quality) {
    return job(data, out, "", quality);
  }

  private JobSpec job(List<Row> data, Path out, String sink, String quality) {
    Path source = sourceOf(data);
    if (!Files.exists(source)) {
      spark.createDataFrame(data, SCHEMA).write().parquet(source.toString());
    }
    return Fixtures.job(
        dir,
        """
        name = quality-test
        source { format = parquet, path = "%s" }
        sink { format = parquet, path = "%s", mode = overwrite %s }
        quality {
        %s
        }
        """
            .formatted(source, out, sink, quality),
        Map.of());
  }

  private static Set<Long> ids(List<Row> rows, Predicate<Row> bad) {
    return rows.stream()
        .filter(bad)
        .map(r -> r.getLong(0))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
