package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A JDBC source: a table or a query, optionally read in parallel ranges of a numeric column.
 * Credentials are never held here: only the user name and where the password comes from (an
 * environment variable or a file), resolved when the source is read.
 */
public record JdbcSpec(
    String url,
    Optional<String> table,
    Optional<String> query,
    Optional<Partitioning> partitioning,
    Optional<Long> fetchSize,
    Optional<String> driver,
    Optional<String> user,
    Optional<String> passwordEnv,
    Optional<String> passwordFile) {

  public JdbcSpec {
    requireNonNull(url, "url is null");
    requireNonNull(table, "table is null");
    requireNonNull(query, "query is null");
    requireNonNull(partitioning, "partitioning is null");
    requireNonNull(fetchSize, "fetchSize is null");
    requireNonNull(driver, "driver is null");
    requireNonNull(user, "user is null");
    requireNonNull(passwordEnv, "passwordEnv is null");
    requireNonNull(passwordFile, "passwordFile is null");
  }

  /**
   * Parallel reads: {@code count} ranges of {@code column} between {@code lower} and {@code upper}.
   */
  public record Partitioning(String column, long lower, long upper, int count) {
    public Partitioning {
      requireNonNull(column, "column is null");
    }
  }
}
