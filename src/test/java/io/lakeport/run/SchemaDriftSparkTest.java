package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.delta.tables.DeltaTable;
import io.lakeport.Fixtures;
import io.lakeport.TestSpark;
import io.lakeport.config.JobSpec;
import io.lakeport.failure.ExitCode;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.Manifests;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.manifest.Verifier;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Schema drift on Parquet and Delta sinks, each kind of change under each policy: {@code fail}
 * publishes nothing and leaves the previous export (and the Delta table's version) as it was,
 * {@code warn} and {@code allow} publish and record the change in the manifest with their action.
 * The expected changes are written out here from how the job's plan was edited.
 */
class SchemaDriftSparkTest {
  private static final int ROWS = 40;
  private static final StructType SOURCE =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("city", DataTypes.StringType)
          .add("note", DataTypes.StringType)
          .add("amount", DataTypes.IntegerType)
          .add("day", DataTypes.DateType);
  private static final List<String> POLICY_KEYS =
      List.of(
          "on-added", "on-removed", "on-renamed", "on-widened", "on-type-change", "on-nullability");

  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  /** The change of each kind the test makes, as the manifest must record it. */
  private static List<String> expected(String action) {
    return List.of(
        "renamed town city town " + action,
        "widened amt int bigint " + action,
        "type-changed qty bigint int " + action,
        "nullability total not-null nullable " + action,
        "added extra null bigint " + action,
        "removed note string null " + action);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parquet", "delta"})
  void eachKindUnderEachPolicy(String format) throws Exception {
    Path source = dir.resolve("source");
    spark.createDataFrame(rows(), SOURCE).write().parquet(source.toString());
    Path out = dir.resolve("out-" + format);
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path root =
        fs.makeQualified(new org.apache.hadoop.fs.Path(out.toString()));

    RunResult first = run(job(format, source, out, EnumSet.noneOf(SchemaDrift.Kind.class), "fail"));
    assertThat(first.manifest().schemaDrift())
        .as("a first run has nothing to compare with")
        .isNull();
    Long firstVersion = first.manifest().sink().deltaVersion();

    for (SchemaDrift.Kind kind : SchemaDrift.Kind.values()) {
      JobSpec changed = job(format, source, out, EnumSet.of(kind), policy(kind, "fail"));
      SchemaDriftException refused =
          catchThrowableOfType(SchemaDriftException.class, () -> run(changed));
      assertThat(refused).as(kind + " under fail").isNotNull();
      assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
      assertThat(refused.drift().changes())
          .extracting(SchemaDriftSparkTest::text)
          .as(kind + " is the only change")
          .containsExactly(expected("fail").get(index(kind)));
      assertThat(refused.getMessage())
          .contains(
              "since run " + first.manifest().runId(),
              "Nothing was published; the previous export is kept",
              "schema-drift { " + key(kind) + " = warn }");
      assertThat(Manifests.latest(fs, root, m -> true))
          .as("the previous export is still the latest")
          .map(Manifest::runId)
          .contains(first.manifest().runId());
      assertThat(new Verifier(new Configuration()).verify(out.toString()).intact()).isTrue();
      if (format.equals("delta")) {
        assertThat(DeltaTable.forPath(spark, out.toString()).history(1).head().getLong(0))
            .as("no Delta commit after a refused change")
            .isEqualTo(firstVersion);
      }
    }

    EnumSet<SchemaDrift.Kind> all = EnumSet.allOf(SchemaDrift.Kind.class);
    RunResult warned = run(job(format, source, out, all, "warn"));
    assertChanges(warned, "run " + first.manifest().runId(), expected("warn"));
    assertExported(format, out, warned.manifest(), all);

    // back to the first shape, allowed, then every change again, allowed
    RunResult back = run(job(format, source, out, EnumSet.noneOf(SchemaDrift.Kind.class), "allow"));
    assertThat(back.manifest().schemaDrift().changes())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.action()).isEqualTo("allow"));
    RunResult allowed = run(job(format, source, out, all, "allow"));
    assertChanges(allowed, "run " + back.manifest().runId(), expected("allow"));
    assertExported(format, out, allowed.manifest(), all);

    RunResult same = run(job(format, source, out, all, "fail"));
    assertThat(same.manifest().schemaDrift().changes()).as("the same schema again").isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aDeltaAppendThatWouldChangeAColumnsTypeIsAJobMistake() throws Exception {
    Path source = dir.resolve("source");
    spark.createDataFrame(rows(), SOURCE).write().parquet(source.toString());
    Path out = dir.resolve("out-append");
    run(job("delta", source, out, EnumSet.noneOf(SchemaDrift.Kind.class), "allow", "append"));

    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                run(
                    job(
                        "delta",
                        source,
                        out,
                        EnumSet.of(SchemaDrift.Kind.WIDENED),
                        "allow",
                        "append")));

    assertThat(thrown)
        .isInstanceOf(io.lakeport.config.JobConfigException.class)
        .hasMessageContaining(
            "cannot change the type of amt (int -> bigint) in the Delta table at " + out)
        .hasMessageContaining("with sink.mode = append")
        .hasMessageContaining("Run once with sink.mode = overwrite");
    assertThat(DeltaTable.forPath(spark, out.toString()).history(1).head().getLong(0))
        .as("nothing committed")
        .isZero();
  }

  private static int index(SchemaDrift.Kind kind) {
    return switch (kind) {
      case RENAMED -> 0;
      case WIDENED -> 1;
      case TYPE_CHANGED -> 2;
      case NULLABILITY -> 3;
      case ADDED -> 4;
      case REMOVED -> 5;
    };
  }

  private static void assertChanges(RunResult result, String comparedWith, List<String> changes) {
    SchemaDrift drift = result.manifest().schemaDrift();
    assertThat(drift.comparedWith()).startsWith(comparedWith);
    assertThat(drift.changes())
        .extracting(SchemaDriftSparkTest::text)
        .containsExactlyElementsOf(changes);
  }

  /** The export holds the new columns, with the rows computed here from the source rows. */
  private void assertExported(
      String format, Path out, Manifest manifest, Set<SchemaDrift.Kind> kinds) {
    List<Row> read = spark.read().format(format).load(out.toString()).orderBy("id").collectAsList();
    assertThat(read).hasSize(ROWS);
    Set<String> columns = Set.of(read.get(0).schema().fieldNames());
    assertThat(columns).contains("town", "extra", "amt", "qty").doesNotContain("city", "note");
    List<Row> source = rows();
    for (int i = 0; i < ROWS; i++) {
      Row row = read.get(i);
      Row from = source.get(i);
      assertThat(row.<String>getAs("town")).isEqualTo(from.getString(1));
      assertThat(((Number) row.getAs("extra")).longValue()).isEqualTo(from.getLong(0) * 2);
      Integer amount = from.isNullAt(3) ? null : from.getInt(3);
      assertThat((Object) row.getAs("amt")).isEqualTo(amount == null ? null : amount.longValue());
      assertThat((Object) row.getAs("total")).isEqualTo(amount);
    }
    if (format.equals("delta")) {
      StructField amt = DeltaTable.forPath(spark, out.toString()).toDF().schema().apply("amt");
      assertThat(amt.dataType())
          .as("the overwrite replaced the table's schema")
          .isEqualTo(DataTypes.LongType);
    }
    assertThat(manifest.schema()).extracting(Manifest.ColumnInfo::name).containsAll(columns);
  }

  private static String text(SchemaDrift.Change c) {
    return String.join(
        " ",
        c.kind(),
        c.column(),
        String.valueOf(c.before()).replace(' ', '-'),
        String.valueOf(c.after()).replace(' ', '-'),
        c.action());
  }

  private static String key(SchemaDrift.Kind kind) {
    return kind == SchemaDrift.Kind.TYPE_CHANGED
        ? "on-type-change"
        : "on-" + kind.name().toLowerCase(Locale.ROOT);
  }

  /** {@code kind} at {@code action}, every other kind allowed. */
  private static String policy(SchemaDrift.Kind kind, String action) {
    return POLICY_KEYS.stream()
        .map(k -> k + " = " + (k.equals(key(kind)) ? action : "allow"))
        .collect(Collectors.joining(", "));
  }

  /**
   * The job: columns id, city, note, amt (int), qty (bigint), total (int, not null); each kind in
   * {@code changes} edits it: a rename of city to town, amt as bigint, qty as int, total nullable,
   * a new column extra, note excluded.
   */
  private JobSpec job(
      String format, Path source, Path out, Set<SchemaDrift.Kind> changes, String policy) {
    return job(format, source, out, changes, policy, "overwrite");
  }

  private JobSpec job(
      String format,
      Path source,
      Path out,
      Set<SchemaDrift.Kind> changes,
      String policy,
      String mode) {
    String actions =
        policy.contains("=")
            ? policy
            : POLICY_KEYS.stream().map(k -> k + " = " + policy).collect(Collectors.joining(", "));
    List<String> derive = new ArrayList<>();
    derive.add(
        "amt = \"cast(amount as "
            + (changes.contains(SchemaDrift.Kind.WIDENED) ? "bigint" : "int")
            + ")\"");
    derive.add(
        "qty = \"cast(amount as "
            + (changes.contains(SchemaDrift.Kind.TYPE_CHANGED) ? "int" : "bigint")
            + ")\"");
    derive.add(
        "total = \""
            + (changes.contains(SchemaDrift.Kind.NULLABILITY) ? "amount" : "coalesce(amount, 0)")
            + "\"");
    if (changes.contains(SchemaDrift.Kind.ADDED)) {
      derive.add("extra = \"id * 2\"");
    }
    List<String> columns =
        new ArrayList<>(Arrays.asList("id", "city", "note", "amt", "qty", "total"));
    if (changes.contains(SchemaDrift.Kind.ADDED)) {
      columns.add("extra");
    }
    if (changes.contains(SchemaDrift.Kind.REMOVED)) {
      columns.remove("note");
    }
    String rename = changes.contains(SchemaDrift.Kind.RENAMED) ? ", rename { city = town }" : "";
    return Fixtures.job(
        dir,
        """
        name = drift-%s
        source { format = parquet, path = "%s" }
        plan {
          derive { %s }
          select { columns = [%s] %s }
        }
        sink { format = %s, path = "%s", mode = %s }
        schema-drift { %s }
        """
            .formatted(
                format,
                source,
                String.join(", ", derive),
                String.join(", ", columns),
                rename,
                format,
                out,
                mode,
                actions),
        Map.of());
  }

  private RunResult run(JobSpec job) throws Exception {
    return new ExportRunner(spark, Clock.systemUTC()).run(job);
  }

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(
          RowFactory.create(
              (long) i,
              "city-" + (i % 7),
              "note " + i,
              i % 9 == 4 ? null : i * 3,
              Date.valueOf("2026-12-0" + (1 + i % 7))));
    }
    return rows;
  }
}
