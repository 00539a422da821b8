package io.lakeport.run;

import io.delta.tables.DeltaTable;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobSpec;
import io.lakeport.config.PlanSpec;
import io.lakeport.config.SchemaDriftSpec;
import io.lakeport.config.SinkFormat;
import io.lakeport.config.WriteMode;
import io.lakeport.manifest.Manifest;
import io.lakeport.manifest.SchemaDrift;
import io.lakeport.sink.WriteContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's output schema against what readers of the export know: the last published export's
 * manifest and, for a Delta sink, the table's schema (its nullability aside: Delta keeps every
 * column nullable). Each change gets the action of the job's {@code schema-drift} policy; a refused
 * one stops the run before anything is written.
 */
public final class SchemaDrifts {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaDrifts.class);

  private SchemaDrifts() {}

  /**
   * The drift of {@code output} from {@code previous} (and the Delta table at the sink), with the
   * policy's actions; empty when there is nothing to compare with (a first run). Warned changes are
   * logged. Throws {@link SchemaDriftException} when the policy refuses a change.
   */
  static Optional<SchemaDrift> check(
      JobSpec job,
      String runId,
      SparkSession session,
      StructType output,
      Optional<Manifest> previous) {
    List<Manifest.ColumnInfo> now = columns(output);
    Map<String, String> renames = renames(job.plan().select());
    List<String> compared = new ArrayList<>();
    List<SchemaDrift.Change> changes = new ArrayList<>();
    if (previous.isPresent()) {
      compared.add("run " + previous.get().runId());
      changes.addAll(
          SchemaDrift.diff(previous.get().schema(), now, renames, kind -> action(job, kind)));
    }
    Optional<DeltaTable> table = deltaTable(job, session);
    if (table.isPresent()) {
      compared.add("the Delta table's schema");
      Set<String> found =
          changes.stream().map(c -> c.kind() + "\u0000" + c.column()).collect(Collectors.toSet());
      // Delta stores every column nullable: compare names and types only
      List<Manifest.ColumnInfo> tableColumns =
          columns(table.get().toDF().schema()).stream()
              .map(c -> new Manifest.ColumnInfo(c.name(), c.type(), true))
              .toList();
      List<Manifest.ColumnInfo> nullableNow =
          now.stream().map(c -> new Manifest.ColumnInfo(c.name(), c.type(), true)).toList();
      SchemaDrift.diff(tableColumns, nullableNow, renames, kind -> action(job, kind)).stream()
          .filter(c -> !found.contains(c.kind() + "\u0000" + c.column()))
          .forEach(changes::add);
    }
    if (compared.isEmpty()) {
      return Optional.empty();
    }
    SchemaDrift drift = new SchemaDrift(String.join(" and ", compared), changes);
    for (SchemaDrift.Change change : drift.changes()) {
      if (change.action().equals(SchemaDrift.ALLOW)) {
        LOG.info(
            "Run {} of job {}: schema changed, allowed: {}", runId, job.name(), change.describe());
      } else {
        LOG.warn("Run {} of job {}: schema changed: {}", runId, job.name(), change.describe());
      }
    }
    if (!drift.withAction(SchemaDrift.FAIL).isEmpty()) {
      throw new SchemaDriftException(job.name(), runId, drift);
    }
    table.ifPresent(t -> refuseTypeChangeInPlace(job, t, drift));
    return Optional.of(drift);
  }

  /**
   * The changes from {@code before} to {@code after} (as manifests record columns), each with the
   * action {@code job}'s policy takes on it, nothing thrown: for {@code lakeport schema diff}.
   */
  public static SchemaDrift compare(
      JobSpec job,
      List<Manifest.ColumnInfo> before,
      List<Manifest.ColumnInfo> after,
      String comparedWith) {
    return new SchemaDrift(
        comparedWith,
        SchemaDrift.diff(before, after, renames(job.plan().select()), kind -> action(job, kind)));
  }

  /**
   * How a Delta write may change the table's schema: an overwrite whose drift removes columns or
   * changes types (allowed, since the check passed) replaces the schema; otherwise new columns are
   * merged in unless the policy refuses them.
   */
  static WriteContext.SchemaEvolution evolution(JobSpec job, Optional<SchemaDrift> drift) {
    if (job.sink().format() != SinkFormat.DELTA) {
      return WriteContext.SchemaEvolution.KEEP;
    }
    boolean reshapes =
        drift.stream()
            .flatMap(d -> d.changes().stream())
            .anyMatch(
                c ->
                    !c.kind().equals(SchemaDrift.Kind.ADDED.text())
                        && !c.kind().equals(SchemaDrift.Kind.NULLABILITY.text()));
    if (reshapes && job.sink().mode() == WriteMode.OVERWRITE) {
      return WriteContext.SchemaEvolution.REPLACE;
    }
    return job.schemaDrift().onAdded() == SchemaDriftSpec.Action.FAIL
        ? WriteContext.SchemaEvolution.KEEP
        : WriteContext.SchemaEvolution.MERGE;
  }

  /**
   * A Delta table changes a column's type only when an overwrite replaces its schema, or, for a
   * widening, when the table has type widening on: anything else is refused before the write, with
   * the fix, rather than by Delta's "Failed to merge fields".
   */
  private static void refuseTypeChangeInPlace(JobSpec job, DeltaTable table, SchemaDrift drift) {
    if (job.sink().mode() == WriteMode.OVERWRITE) {
      return;
    }
    List<SchemaDrift.Change> retyped =
        drift.changes().stream()
            .filter(
                c ->
                    c.kind().equals(SchemaDrift.Kind.WIDENED.text())
                        || c.kind().equals(SchemaDrift.Kind.TYPE_CHANGED.text()))
            .toList();
    if (retyped.isEmpty()) {
      return;
    }
    boolean widening =
        "true"
            .equals(
                table
                    .detail()
                    .select("properties")
                    .head()
                    .<String, String>getJavaMap(0)
                    .get("delta.enableTypeWidening"));
    if (widening
        && retyped.stream().allMatch(c -> c.kind().equals(SchemaDrift.Kind.WIDENED.text()))) {
      return;
    }
    String columns =
        retyped.stream()
            .map(c -> c.column() + " (" + c.before() + " -> " + c.after() + ")")
            .collect(Collectors.joining(", "));
    throw new JobConfigException(
        List.of(
            new ConfigProblem(
                job.sink().origin("mode"),
                "cannot change the type of "
                    + columns
                    + " in the Delta table at "
                    + job.sink().path()
                    + " with sink.mode = "
                    + job.sink().mode().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + ": Delta changes a column's type only when an overwrite replaces the table's"
                    + " schema",
                "Run once with sink.mode = overwrite (the table is rewritten with the new types),"
                    + " keep the old type with a cast in plan.derive, or, for a widening, set"
                    + " sink.table-properties { \"delta.enableTypeWidening\" = \"true\" }.")));
  }

  /** The job-file key of the policy for a kind of change: {@code on-type-change}. */
  static String policyKey(String kind) {
    return kind.equals(SchemaDrift.Kind.TYPE_CHANGED.text()) ? "on-type-change" : "on-" + kind;
  }

  /** The columns of a schema as the manifest records them. */
  public static List<Manifest.ColumnInfo> columns(StructType schema) {
    List<Manifest.ColumnInfo> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      columns.add(new Manifest.ColumnInfo(f.name(), f.dataType().simpleString(), f.nullable()));
    }
    return columns;
  }

  private static String action(JobSpec job, SchemaDrift.Kind kind) {
    SchemaDriftSpec policy = job.schemaDrift();
    SchemaDriftSpec.Action action =
        switch (kind) {
          case ADDED -> policy.onAdded();
          case REMOVED -> policy.onRemoved();
          case RENAMED -> policy.onRenamed();
          case WIDENED -> policy.onWidened();
          case TYPE_CHANGED -> policy.onTypeChange();
          case NULLABILITY -> policy.onNullability();
        };
    return action.text();
  }

  private static Map<String, String> renames(PlanSpec.Selection select) {
    Map<String, String> renames = new LinkedHashMap<>();
    select.rename().forEach(r -> renames.put(r.from(), r.to()));
    return renames;
  }

  private static Optional<DeltaTable> deltaTable(JobSpec job, SparkSession session) {
    if (job.sink().format() != SinkFormat.DELTA
        || !DeltaTable.isDeltaTable(session, job.sink().path())) {
      return Optional.empty();
    }
    return Optional.of(DeltaTable.forPath(session, job.sink().path()));
  }
}
