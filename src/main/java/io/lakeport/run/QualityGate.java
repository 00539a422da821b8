package io.lakeport.run;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.lakeport.config.Filter;
import io.lakeport.config.JobSpec;
import io.lakeport.config.QualitySpec;
import io.lakeport.config.QualitySpec.Action;
import io.lakeport.manifest.Manifest;
import io.lakeport.plan.PlanCompiler;
import io.lakeport.source.SourceRead;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.storage.StorageLevel;

/**
 * Applies a job's quality rules to its output in the same pass that writes it. Row rules become
 * boolean columns whose checked, failed and quarantined counts are observed during the write, and
 * rows failing a quarantine rule are left out of it. The rows written are counted in the same
 * observation, with or without rules: one pass over the rows collects every count.
 *
 * <p>The common case costs almost nothing beyond evaluating the rules: nothing is cached. Only when
 * the write observed quarantined rows are they computed again, in a pass restricted to them, and
 * written to {@code _rejects} with the names of the rules they failed and the values that failed
 * them; that pass must find exactly the rows the write set aside, else the run fails naming both
 * counts. A source whose second read could return other rows (JDBC, an unpinned catalog table) or a
 * plan that is not deterministic has its flagged rows cached for the write instead, so the rejects
 * come from the same rows. After the write, {@link #evaluate} turns the counts, the unique-key
 * checks (a pass over the key columns only, of the written Parquet files where it can) and the
 * row-count checks into one result per rule.
 */
final class QualityGate {
  static final String RULES_COLUMN = "_lakeport_rules";
  static final String REASON_COLUMN = "_lakeport_reason";
  private static final String CHECKED = "quality_checked_";
  private static final String FAILED = "quality_failed_";
  private static final String REJECTED = "quality_rejected";
  private static final String REJECTS_WRITTEN = "rejects_written";
  private static final String WRITTEN = "rows_written";

  /** A rule's outcome for a row (null when the rule does not apply), while the rules run. */
  private static final String PASSES = "_lakeport_passes_";

  private static final String QUARANTINED = "_lakeport_quarantined";

  private final QualitySpec spec;
  private final String runId;
  private final List<QualitySpec.RowRule> rowRules = new ArrayList<>();
  private final Observation observation;
  private String jobName = "";

  /** The output with a column per row rule and the quarantine flag; null without row rules. */
  private Dataset<Row> marked;

  /** The rows the write kept; the unique-key checks run on their key columns. */
  private Dataset<Row> kept;

  /** {@link #marked}, cached, when the source cannot be read a second time to the same rows. */
  private Dataset<Row> cached;

  QualityGate(QualitySpec spec, String runId) {
    this.spec = spec;
    this.runId = runId;
    spec.rules()
        .forEach(
            rule -> {
              if (rule instanceof QualitySpec.RowRule row) {
                rowRules.add(row);
              }
            });
    this.observation = new Observation("quality-" + runId);
  }

  /**
   * The output the sink writes: without rows that fail a quarantine rule, with the rule counts
   * observed. {@code stability} says whether the source reads the same rows a second time.
   */
  Dataset<Row> apply(Dataset<Row> output, JobSpec job, SourceRead.Stability stability) {
    jobName = job.name();
    kept = output;
    if (rowRules.isEmpty()) {
      return output.observe(observation, count(lit(1)).as(WRITTEN));
    }
    List<String> columns = List.of(output.columns());
    List<Column> metrics = new ArrayList<>();
    List<Column> quarantines = new ArrayList<>();
    Dataset<Row> checked = output;
    for (int i = 0; i < rowRules.size(); i++) {
      QualitySpec.RowRule rule = rowRules.get(i);
      checked = checked.withColumn(PASSES + i, PlanCompiler.condition(output, rule.check(), job));
      Column passes = col(PASSES + i);
      metrics.add(sum(when(passes.isNotNull(), 1).otherwise(0)).as(CHECKED + i));
      metrics.add(sum(when(not(passes), 1).otherwise(0)).as(FAILED + i));
      if (rule.action() == Action.QUARANTINE) {
        quarantines.add(coalesce(not(passes), lit(false)));
      }
    }
    Column quarantined = quarantines.stream().reduce(Column::or).orElse(lit(false));
    marked = checked.withColumn(QUARANTINED, quarantined);
    metrics.add(sum(when(col(QUARANTINED), 1).otherwise(0)).as(REJECTED));
    metrics.add(sum(when(col(QUARANTINED), 0).otherwise(1)).as(WRITTEN));
    Dataset<Row> observed = observe(marked, metrics);
    if (!quarantines.isEmpty() && !rereadable(output, stability)) {
      cached = observed.persist(StorageLevel.MEMORY_AND_DISK());
      observed = cached;
    }
    Column[] outputColumns = columns.stream().map(QualityGate::column).toArray(Column[]::new);
    kept = (cached == null ? marked : cached).where(not(col(QUARANTINED))).select(outputColumns);
    return observed.where(not(col(QUARANTINED))).select(outputColumns);
  }

  /**
   * Whether a second pass over the output sees the rows the write saw: a pinned source (files, a
   * Delta version) and a deterministic plan.
   */
  private static boolean rereadable(Dataset<Row> output, SourceRead.Stability stability) {
    return switch (stability) {
      case PINNED -> output.queryExecution().analyzed().deterministic();
      case LIVE -> false;
    };
  }

  /**
   * Writes the rows the write set aside, if it set any aside, to {@code path} as JSON lines with
   * {@code _lakeport_rules} and {@code _lakeport_reason}; whether it wrote any. A rejects pass that
   * finds other rows than the write did fails the run: no row may go missing from both.
   */
  boolean writeRejects(String path) {
    long rejected = rejected();
    if (rejected == 0) {
      return false;
    }
    Observation written = new Observation("quality-rejects-" + runId);
    Dataset<Row> flagged = cached == null ? marked : cached;
    List<Column> failedNames = new ArrayList<>();
    List<Column> reasons = new ArrayList<>();
    for (int i = 0; i < rowRules.size(); i++) {
      QualitySpec.RowRule rule = rowRules.get(i);
      if (rule.action() == Action.QUARANTINE) {
        Column failed = not(col(PASSES + i));
        failedNames.add(when(failed, lit(rule.name())));
        reasons.add(when(failed, reason(rule)));
      }
    }
    Column[] columns =
        Arrays.stream(kept.columns()).map(QualityGate::column).toArray(Column[]::new);
    flagged
        .where(col(QUARANTINED))
        .select(
            Stream.concat(
                    Arrays.stream(columns),
                    Stream.of(
                        concat_ws(", ", array(failedNames.toArray(Column[]::new))).as(RULES_COLUMN),
                        concat_ws("; ", array(reasons.toArray(Column[]::new))).as(REASON_COLUMN)))
                .toArray(Column[]::new))
        .observe(written, count(lit(1)).as(REJECTS_WRITTEN))
        .write()
        .mode(SaveMode.Overwrite)
        .json(path);
    long found = metric(ExportRunner.observed(written), REJECTS_WRITTEN);
    if (found != rejected) {
      throw RunException.cannot(
          "write the quarantined rows",
          jobName,
          runId,
          String.format(
              Locale.ROOT,
              "the export's write set aside %,d rows that fail a quarantine rule, but reading the"
                  + " source again for %s found %,d: the source changed during the run. Run again"
                  + " on a source that holds still (files not rewritten while the run reads them,"
                  + " a Delta version)",
              rejected,
              path,
              found),
          null);
    }
    return true;
  }

  /** A column by its name as it is, dots and all. */
  private static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /** Releases the cached rows. */
  void release() {
    if (cached != null) {
      cached.unpersist(false);
    }
  }

  /**
   * One result per rule, from the counts observed while writing, the unique-key checks run on the
   * key columns of the rows written, and the row counts of this run and the previous one. {@code
   * written} is those rows read back from the written files, where that is cheaper than computing
   * them again; a key with a column the files do not hold (a partition column) is checked on the
   * rows computed again.
   */
  List<Manifest.RuleResult> evaluate(
      long rows, Optional<Long> previousRows, Optional<Dataset<Row>> written) {
    Map<String, Object> observed = ExportRunner.observed(observation);
    List<Manifest.RuleResult> results = new ArrayList<>();
    for (QualitySpec.Rule rule : spec.rules()) {
      if (rule instanceof QualitySpec.RowRule row) {
        int i = rowRules.indexOf(row);
        results.add(
            result(
                row.name(),
                "row",
                row.action(),
                metric(observed, CHECKED + i),
                metric(observed, FAILED + i),
                row.maxFailedRatio(),
                null));
      } else if (rule instanceof QualitySpec.UniqueRule unique) {
        results.add(
            result(
                unique.name(),
                "unique",
                unique.action(),
                rows,
                UniqueKeys.duplicates(keyed(written, unique.columns()), unique.columns(), rows),
                0.0,
                null));
      } else if (rule instanceof QualitySpec.RowCountRule count) {
        Optional<String> breach = RowCounts.breach(count, rows, previousRows);
        results.add(
            result(
                count.name(),
                "row-count",
                count.action(),
                1,
                breach.isPresent() ? 1 : 0,
                0.0,
                breach.orElse(null)));
      }
    }
    return results;
  }

  /** The written rows read back if they hold every key column, else the rows computed again. */
  private Dataset<Row> keyed(Optional<Dataset<Row>> written, List<String> columns) {
    return written.filter(rows -> List.of(rows.columns()).containsAll(columns)).orElse(kept);
  }

  /** Rows the write wrote: observed with the rules' counts, in the same pass over the rows. */
  long written() {
    return metric(ExportRunner.observed(observation), WRITTEN);
  }

  /** Rows the write set aside for failing a quarantine rule. */
  long rejected() {
    return marked == null ? 0 : metric(ExportRunner.observed(observation), REJECTED);
  }

  private Dataset<Row> observe(Dataset<Row> data, List<Column> metrics) {
    return data.observe(
        observation, metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new));
  }

  /** {@code rule: column = value} for predicate rules, the rule's name for SQL rules. */
  private static Column reason(QualitySpec.RowRule rule) {
    if (rule.check() instanceof Filter.Predicate predicate) {
      return concat(
          lit(rule.name() + ": " + predicate.column() + " = "),
          coalesce(col(predicate.column()).cast("string"), lit("null")));
    }
    return lit(rule.name());
  }

  /**
   * A rule's outcome from its counts: passed, warned, failed (above the threshold), else
   * quarantined or tolerated.
   */
  static Manifest.RuleResult result(
      String name,
      String kind,
      Action action,
      long checked,
      long failed,
      double maxRatio,
      String detail) {
    double ratio = checked == 0 ? 0.0 : (double) failed / checked;
    String outcome;
    if (failed == 0) {
      outcome = "passed";
    } else if (action == Action.WARN) {
      outcome = "warned";
    } else if (ratio > maxRatio) {
      outcome = "failed";
    } else {
      outcome = action == Action.QUARANTINE ? "quarantined" : "tolerated";
    }
    return new Manifest.RuleResult(
        name,
        kind,
        action.name().toLowerCase(Locale.ROOT),
        checked,
        failed,
        Math.round(ratio * 1_000_000) / 1_000_000.0,
        maxRatio,
        outcome,
        detail);
  }

  private static long metric(Map<String, Object> observed, String name) {
    Object value = observed.get(name);
    return value == null ? 0 : ((Number) value).longValue();
  }
}
