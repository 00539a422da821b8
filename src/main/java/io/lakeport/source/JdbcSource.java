package io.lakeport.source;

import io.lakeport.config.EngineMessages;
import io.lakeport.config.JdbcSpec;
import io.lakeport.config.Secrets;
import io.lakeport.config.SourceSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/**
 * A database table or query over JDBC, read in parallel ranges when the job names a partition
 * column. The password is looked up here, from the environment or a file, and goes only to the JDBC
 * driver: never into the spec, logs or the manifest, whose URL has password parameters masked.
 */
final class JdbcSource implements Source {
  private final SourceSpec spec;
  private final JdbcSpec jdbc;

  JdbcSource(SourceSpec spec) {
    this.spec = spec;
    this.jdbc = spec.jdbc().orElseThrow();
  }

  @Override
  public SourceRead read(SparkSession spark) {
    DataFrameReader reader =
        spark.read().format("jdbc").options(spec.options()).option("url", jdbc.url());
    jdbc.table().ifPresent(t -> reader.option("dbtable", t));
    jdbc.query().ifPresent(q -> reader.option("query", q));
    jdbc.driver().ifPresent(d -> reader.option("driver", d));
    jdbc.fetchSize().ifPresent(n -> reader.option("fetchsize", n));
    jdbc.user().ifPresent(u -> reader.option("user", u));
    password().ifPresent(p -> reader.option("password", p));
    jdbc.partitioning()
        .ifPresent(
            p ->
                reader
                    .option("partitionColumn", p.column())
                    .option("lowerBound", p.lower())
                    .option("upperBound", p.upper())
                    .option("numPartitions", p.count()));
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("format", "jdbc");
    identity.put("url", masked(jdbc.url()));
    jdbc.table().ifPresent(t -> identity.put("table", t));
    jdbc.query().ifPresent(q -> identity.put("query", q));
    try {
      return new SourceRead(reader.load(), identity, SourceRead.Stability.LIVE);
    } catch (Exception e) {
      String reason = EngineMessages.summary(masked(String.valueOf(e.getMessage())));
      if (isConnectionFailure(e)) {
        throw new SourceUnreachableException(
            "Cannot connect to the source database "
                + masked(jdbc.url())
                + " ("
                + spec.origin().describe()
                + "): "
                + reason
                + ". Check that the database is up and reachable from this machine; a scheduled run is retried.",
            e);
      }
      if (e instanceof SQLException
          || e.getCause() instanceof SQLException
          || e instanceof AnalysisException) {
        throw SourceErrors.cannotRead(
            spec, reason, "Check source.url, the table or query, and the credentials.");
      }
      throw e;
    }
  }

  /**
   * A database that did not answer, not a mistake in the job: SQL state class 08 (connection
   * exception) or a refused or timed-out socket under the driver's exception. Such a run failed
   * outside Lakeport (exit 3), and is retried; a wrong table, query or password stays a job error.
   */
  static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("08")) {
        return true;
      }
      if (t instanceof ConnectException || t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private Optional<String> password() {
    if (jdbc.passwordEnv().isPresent()) {
      String name = jdbc.passwordEnv().get();
      String value = System.getenv(name);
      if (value == null) {
        throw SourceErrors.cannotRead(
            spec,
            "the environment variable " + name + " (source.password-env) is not set",
            "Export it before the run, or use password-file.");
      }
      return Optional.of(value);
    }
    if (jdbc.passwordFile().isPresent()) {
      Path file = Path.of(jdbc.passwordFile().get());
      try {
        return Optional.of(Files.readString(file).strip());
      } catch (IOException e) {
        throw SourceErrors.cannotRead(
            spec,
            "cannot read the password file " + file + " (source.password-file)",
            "Check that the file exists and is readable by this user.");
      }
    }
    return Optional.empty();
  }

  static String masked(String text) {
    return Secrets.mask(text);
  }
}
