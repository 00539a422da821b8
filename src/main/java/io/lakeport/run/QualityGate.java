package io.lakeport.run;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Applies a job's quality rules to its output in the same pass that writes it. Row rules become
 * boolean columns whose checked and failed counts are observed during the write; rows failing a
 * quarantine rule are split off, with the names of the rules they failed and the values that failed
 * them, to be written to {@code _rejects} (the flagged rows are cached so the split costs no second
 * computation of the plan). After the write, {@link #evaluate} turns the counts, the unique-key and
 * row-count checks into one result per rule.
 */
final class QualityGate {
  static final String RULES_COLUMN = "_lakeport_rules";
  static final String REASON_COLUMN = "_lakeport_reason";
  private static final String CHECKED = "quality_checked_";
  private static final String FAILED = "quality_failed_";
  private static final String REJECTED = "quality_rejected";

  private final QualitySpec spec;
  private final List<QualitySpec.RowRule> rowRules = new ArrayList<>();
  private final Observation observation;
  private Dataset<Row> flagged;

  QualityGate(QualitySpec spec, String runId) {
    this.spec = spec;
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
   * observed.
   */
  Dataset<Row> apply(Dataset<Row> output, JobSpec job) {
    if (rowRules.isEmpty()) {
      return output;
    }
    List<Column> metrics = new ArrayList<>();
    List<Column> failedNames = new ArrayList<>();
    List<Column> reasons = new ArrayList<>();
    for (int i = 0; i < rowRules.size(); i++) {
      QualitySpec.RowRule rule = rowRules.get(i);
      Column passes = PlanCompiler.condition(output, rule.check(), job);
      metrics.add(sum(when(passes.isNotNull(), 1).otherwise(0)).as(CHECKED + i));
      metrics.add(sum(when(not(passes), 1).otherwise(0)).as(FAILED + i));
      if (rule.action() == Action.QUARANTINE) {
        failedNames.add(when(not(passes), lit(rule.name())));
        reasons.add(when(not(passes), reason(rule)));
      }
    }
    if (failedNames.isEmpty()) {
      return observe(output, metrics);
    }
    Dataset<Row> marked =
        output
            .withColumn(RULES_COLUMN, concat_ws(", ", array(failedNames.toArray(Column[]::new))))
            .withColumn(REASON_COLUMN, concat_ws("; ", array(reasons.toArray(Column[]::new))));
    metrics.add(sum(when(col(RULES_COLUMN).notEqual(""), 1).otherwise(0)).as(REJECTED));
    flagged = observe(marked, metrics).persist(StorageLevel.MEMORY_AND_DISK());
    return flagged.where(col(RULES_COLUMN).equalTo("")).drop(RULES_COLUMN, REASON_COLUMN);
  }

  /**
   * The rows that failed a quarantine rule, with {@code _lakeport_rules} and {@code
   * _lakeport_reason}.
   */
  Optional<Dataset<Row>> rejects() {
    return Optional.ofNullable(flagged).map(f -> f.where(col(RULES_COLUMN).notEqual("")));
  }

  /** Releases the cached rows. */
  void release() {
    if (flagged != null) {
      flagged.unpersist(false);
    }
  }

  /**
   * One result per rule, from the counts observed while writing, the unique-key checks run on the
   * written rows, and the row counts of this run and the previous one.
   */
  List<Manifest.RuleResult> evaluate(Dataset<Row> written, long rows, Optional<Long> previousRows) {
    Map<String, Object> observed =
        rowRules.isEmpty() ? Map.of() : ExportRunner.observed(observation);
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
                duplicates(written, unique.columns()),
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

  long rejected() {
    return flagged == null ? 0 : metric(ExportRunner.observed(observation), REJECTED);
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

  private static long duplicates(Dataset<Row> written, List<String> columns) {
    Row extra =
        written
            .groupBy(
                columns.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
            .count()
            .where(col("count").gt(1))
            .agg(sum(col("count").minus(1)))
            .head();
    return extra.isNullAt(0) ? 0 : extra.getLong(0);
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
