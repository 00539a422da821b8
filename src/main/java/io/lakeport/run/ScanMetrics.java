package io.lakeport.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.CommandResultExec;
import org.apache.spark.sql.execution.DataSourceScanExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.exchange.ReusedExchangeExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The rows a run's source scans produced, from Spark's own SQL metric of its scan nodes ("number of
 * output rows"), read from the queries the job's session ran while it listened. Counting this way
 * puts nothing between the source and the job's filters, so they are pushed into the scan as in a
 * hand-written program: partitions pruned, Parquet row groups skipped, JDBC filters run in the
 * database. The count is what the scan read after that pruning, as Spark's UI shows it, records
 * that do not parse included (a CSV or JSON line is read before it is found malformed); Delta's
 * reads of its own transaction log are not rows of the table and do not count.
 */
final class ScanMetrics implements QueryExecutionListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScanMetrics.class);
  private static final String OUTPUT_ROWS = "numOutputRows";
  private static final String DELTA_LOG = "_delta_log";

  private final SparkSession session;
  private final List<QueryExecution> executions = new CopyOnWriteArrayList<>();

  private ScanMetrics(SparkSession session) {
    this.session = session;
  }

  /** Listens to the queries of {@code session} (a job's own session) until closed. */
  static ScanMetrics listen(SparkSession session) {
    ScanMetrics metrics = new ScanMetrics(session);
    session.listenerManager().register(metrics);
    return metrics;
  }

  @Override
  public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
    executions.add(qe);
  }

  @Override
  public void onFailure(String funcName, QueryExecution qe, Exception exception) {
    // a failed query fails the run; its rows read are not reported
  }

  /** Rows read by the scans of the queries that ended so far. */
  long rowsRead() {
    return scans().stream().mapToLong(Scan::rows).sum();
  }

  /**
   * The scans of the queries that ended so far, each with the rows it read and, for a scan of
   * files, the folders (or files) it was given; a scan of a database or catalog has none.
   */
  List<Scan> scans() {
    // listeners hear of a query through Spark's listener bus, after the query returned
    try {
      session.sparkContext().listenerBus().waitUntilEmpty();
    } catch (TimeoutException e) {
      LOG.warn("Spark's listener bus is behind; the rows read may miss the last query's scans");
    }
    List<Scan> scans = new ArrayList<>();
    executions.forEach(qe -> collect(qe.executedPlan(), scans));
    return scans;
  }

  /** One scan: the paths it read below (qualified) and its rows. */
  record Scan(List<String> roots, long rows) {
    Scan {
      roots = List.copyOf(roots);
    }
  }

  @Override
  public void close() {
    session.listenerManager().unregister(this);
  }

  /** Delta reads its transaction log with Spark too, while planning a read of the table. */
  private static boolean readsDeltaLog(FileSourceScanExec scan) {
    return CollectionConverters.asJava(scan.relation().location().rootPaths()).stream()
        .anyMatch(
            path ->
                path.toString().contains("/" + DELTA_LOG + "/")
                    || path.getName().equals(DELTA_LOG));
  }

  private static void collect(SparkPlan plan, List<Scan> scans) {
    if (plan instanceof FileSourceScanExec scan && readsDeltaLog(scan)) {
      return;
    }
    if (plan instanceof DataSourceScanExec || plan instanceof BatchScanExec) {
      Option<SQLMetric> rows = plan.metrics().get(OUTPUT_ROWS);
      List<String> roots =
          plan instanceof FileSourceScanExec files
              ? CollectionConverters.asJava(files.relation().location().rootPaths()).stream()
                  .map(Object::toString)
                  .toList()
              : List.of();
      scans.add(new Scan(roots, rows.isDefined() ? rows.get().value() : 0));
      return;
    }
    if (plan instanceof ReusedExchangeExec) {
      return;
    }
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      collect(adaptive.executedPlan(), scans);
    } else if (plan instanceof QueryStageExec stage) {
      collect(stage.plan(), scans);
    } else if (plan instanceof CommandResultExec command) {
      collect(command.commandPhysicalPlan(), scans);
    } else if (plan instanceof InMemoryTableScanExec cached) {
      collect(cached.relation().cachedPlan(), scans);
    } else {
      CollectionConverters.asJava(plan.children()).forEach(child -> collect(child, scans));
    }
  }
}
