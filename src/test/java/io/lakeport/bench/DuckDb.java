package io.lakeport.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DuckDB running the benchmark's aggregate job as SQL: the same filter, daily aggregate and a
 * {@code COPY ... (FORMAT PARQUET, PARTITION_BY ...)} of the result, on the same Parquet input,
 * limited to as many threads as Spark has cores.
 */
final class DuckDb implements AutoCloseable {
  static final int THREADS = Runtime.getRuntime().availableProcessors();

  private final Connection connection;

  DuckDb() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET threads = " + THREADS);
      statement.execute("SET TimeZone = 'UTC'");
    }
  }

  static String version() {
    try (DuckDb duck = new DuckDb();
        Statement statement = duck.connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT version()")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      return "unavailable: " + e.getMessage();
    }
  }

  /** The aggregate job's SQL, written to {@code output} as zstd Parquet, one folder per day. */
  void aggregate(Path input, Path output) throws SQLException {
    String sql =
        """
        COPY (
          SELECT CAST(event_ts AS DATE) AS event_day, country, category,
                 count(*) AS events, sum(amount) AS revenue, avg(amount) AS avg_amount,
                 sum(quantity) AS items, approx_count_distinct(customer_id) AS customers
          FROM read_parquet('%s/*.parquet')
          WHERE status NOT IN ('cancelled') AND amount > 1.0
          GROUP BY ALL
        ) TO '%s' (FORMAT PARQUET, COMPRESSION zstd, PARTITION_BY (event_day))
        """
            .formatted(input, output);
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** Case 2's row export, as zstd Parquet, one folder per day. */
  void rowExport(Path input, Path output) throws SQLException {
    String sql =
        """
        COPY (
          SELECT *, CAST(event_ts AS DATE) AS event_day, amount * quantity AS line_total
          FROM read_parquet('%s/*.parquet')
          WHERE status <> 'cancelled' AND amount > 5
        ) TO '%s' (FORMAT PARQUET, COMPRESSION zstd, PARTITION_BY (event_day))
        """
            .formatted(input, output);
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * Rows in the Parquet files under {@code output} as DuckDB reads them, and the writer that wrote
   * the first file (its footer's {@code created_by}).
   */
  Read read(Path output) throws SQLException {
    String files = output + "/**/*.parquet";
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM read_parquet('%s')),".formatted(files)
                    + " (SELECT created_by FROM parquet_file_metadata('%s') LIMIT 1)"
                        .formatted(files))) {
      rs.next();
      return new Read(rs.getLong(1), rs.getString(2));
    }
  }

  /** What DuckDB read from an output. */
  record Read(long rows, String createdBy) {}

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
