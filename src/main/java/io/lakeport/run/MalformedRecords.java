package io.lakeport.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.lakeport.source.SourceRead;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Source records that could not be parsed (CSV and JSON sources mark them in {@link
 * SourceRead#MALFORMED}): left out of the plan, counted while the export is written, and, when
 * there are any, written to the run's rejects with their raw text. Runs without malformed records
 * pay no second read of the source.
 */
final class MalformedRecords {
  static final String RULE = "malformed-records";
  private static final String COUNT = "malformed";
  private static final String ALL_COLUMNS = "all_columns";

  private final SourceRead source;
  private final boolean marked;
  private final Observation observation;

  MalformedRecords(SourceRead source, String runId) {
    this.source = source;
    this.marked = Arrays.asList(source.data().columns()).contains(SourceRead.MALFORMED);
    this.observation = new Observation("malformed-" + runId);
  }

  /** Whether the source marks malformed records at all (CSV and JSON). */
  boolean checked() {
    return marked;
  }

  /** The source without malformed records, counting them as it is read. */
  SourceRead wellFormed() {
    if (!marked) {
      return source;
    }
    Column[] all =
        Arrays.stream(source.data().columns())
            .map(org.apache.spark.sql.functions::col)
            .toArray(Column[]::new);
    // Spark's CSV reader converts only the columns a query needs, and so finds a record malformed
    // only for those; a metric over every column makes the scan convert (and judge) them all.
    Dataset<Row> counted =
        source
            .data()
            .observe(
                observation,
                sum(when(col(SourceRead.MALFORMED).isNotNull(), 1).otherwise(0)).as(COUNT),
                max(xxhash64(all)).as(ALL_COLUMNS));
    return new SourceRead(
        counted.where(col(SourceRead.MALFORMED).isNull()).drop(SourceRead.MALFORMED),
        source.identity(),
        source.stability());
  }

  long count() {
    return marked ? ExportRunner.metric(ExportRunner.observed(observation), COUNT) : 0;
  }

  /**
   * Writes the malformed records, if any, as JSON lines with their raw text, the rule and the
   * reason.
   */
  void writeRejects(String path) {
    if (count() == 0) {
      return;
    }
    String format = String.valueOf(source.identity().get("format")).toUpperCase(Locale.ROOT);
    source
        .data()
        .where(col(SourceRead.MALFORMED).isNotNull())
        .withColumn(QualityGate.RULES_COLUMN, lit(RULE))
        .withColumn(
            QualityGate.REASON_COLUMN,
            concat(
                lit("a " + format + " record that does not fit the source schema: "),
                col(SourceRead.MALFORMED)))
        .write()
        .mode(SaveMode.Overwrite)
        .json(path);
  }
}
