package io.lakeport.history;

import io.lakeport.config.HistorySettings;
import io.lakeport.config.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The history's database: connections made from the settings (the password looked up here, once),
 * the schema brought up to date with Flyway when opened, and units of work run in a transaction.
 * Each unit gets a connection of its own, so threads and processes contend in the database, where
 * constraints and row locks settle races. An embedded H2 file is kept open between units by one
 * idle connection, so it is not reopened for each, and is shared with other processes on this
 * machine through a server on 127.0.0.1 ({@link H2Sharing}).
 */
final class HistoryDatabase implements AutoCloseable {
  /**
   * Migrations, in {@code src/main/resources/db/history}: those every database runs in {@code
   * common/}; the first, whose identities differ, in {@code standard/} for H2 and PostgreSQL and in
   * {@code sqlite/}.
   */
  static final String MIGRATIONS = "classpath:db/history";

  /**
   * The version of the newest migration under {@link #MIGRATIONS}; HistorySchemaTest keeps them in
   * step.
   */
  static final String SCHEMA_VERSION = "9";

  /** SQL states of a lost race: a unique key taken, a serialization failure, a deadlock. */
  private static final Set<String> CONFLICTS = Set.of("23505", "40001", "40P01");

  /**
   * H2's error codes while an embedded file changes hands between processes: error opening the
   * database (a lock file recently modified, a concurrent update), database already in use,
   * connection broken.
   */
  private static final Set<Integer> H2_BUSY = Set.of(8000, 90020, 90067);

  /** How long an embedded H2 file may stay busy before opening fails. */
  private static final Duration BUSY_FOR = Duration.ofSeconds(30);

  /** H2's error code for a row another transaction changed at the same time. */
  private static final int H2_CONCURRENT_UPDATE = 90131;

  /** The URL connections are made with: the settings' URL, for an H2 file with its sharing mode. */
  private final String url;

  private final Properties credentials;
  private final Optional<Connection> keeper;

  private HistoryDatabase(String url, Properties credentials, Optional<Connection> keeper) {
    this.url = url;
    this.credentials = credentials;
    this.keeper = keeper;
  }

  static HistoryDatabase open(HistorySettings settings) {
    Properties credentials = credentials(settings);
    String url = settings.url();
    switch (settings.database()) {
      case H2 -> {
        H2Sharing.createFolder(url);
        url = H2Sharing.url(url);
      }
      case SQLITE -> {
        SqliteFile.createFolder(url);
        credentials.putAll(SqliteFile.settings());
      }
      case POSTGRESQL -> {}
    }
    Optional<Connection> keeper = Optional.empty();
    try {
      String shared = url;
      keeper = Optional.of(whileBusy(() -> DriverManager.getConnection(shared, credentials)));
      whileBusy(
          () -> {
            migrate(shared, credentials, settings.database());
            return null;
          });
      if (settings.database() != HistorySettings.Database.H2) {
        keeper.get().close();
        keeper = Optional.empty();
      }
      return new HistoryDatabase(url, credentials, keeper);
    } catch (SQLException | FlywayException e) {
      keeper.ifPresent(HistoryDatabase::closeQuietly);
      throw cannotOpen(settings, reason(e), e);
    }
  }

  /** Runs {@code work} in a transaction; any SQL failure is a {@link HistoryException}. */
  <T> T transaction(String action, Work<T> work) {
    try {
      return inTransaction(work);
    } catch (SQLException e) {
      throw HistoryException.cannot(action, reason(e), e);
    }
  }

  /**
   * As {@link #transaction(String, Work)}, but a lost race (a key taken, a row changed) gives
   * {@code onConflict}.
   */
  <T> T transaction(String action, Work<T> work, T onConflict) {
    try {
      return inTransaction(work);
    } catch (SQLException e) {
      if (isConflict(e)) {
        return onConflict;
      }
      throw HistoryException.cannot(action, reason(e), e);
    }
  }

  private <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection connection = connect()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private Connection connect() throws SQLException {
    return whileBusy(() -> DriverManager.getConnection(url, credentials));
  }

  /**
   * Runs {@code open} again while an embedded H2 file is busy changing hands: processes that start
   * together race to open it, and in H2's mixed mode the loser of a race is told "Lock file
   * recently modified", "Concurrent update" or "Database may be already in use" until the winner
   * serves the file, or "Connection is broken" while another process takes over from one that
   * exited. Those clear within a second or two; after {@link #BUSY_FOR} the failure stands.
   */
  static <T> T whileBusy(Opening<T> open) throws SQLException {
    long deadline = System.nanoTime() + BUSY_FOR.toNanos();
    long pause = 20;
    while (true) {
      try {
        return open.open();
      } catch (SQLException | FlywayException e) {
        if (!isBusy(e) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for the run history", e);
      }
      pause = Math.min(pause * 2, 500);
    }
  }

  private static boolean isBusy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql
          && (H2_BUSY.contains(sql.getErrorCode()) || SqliteFile.isBusy(sql))) {
        return true;
      }
    }
    return false;
  }

  /** Opens a connection, or runs a step of opening, that may find the database busy. */
  @FunctionalInterface
  interface Opening<T> {
    T open() throws SQLException;
  }

  /** Whether {@code e} is a lost race: a key taken, a row changed at the same time. */
  static boolean isConflict(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && (sql.getSQLState() != null && CONFLICTS.contains(sql.getSQLState())
              || sql.getErrorCode() == H2_CONCURRENT_UPDATE
              || SqliteFile.isConstraint(sql))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Brings the schema up to date. A database already at {@link #SCHEMA_VERSION} is left alone after
   * one query: every command is a new JVM that opens the history, and starting Flyway (thousands of
   * classes, a scan of its locations, a validation) cost about a second of each.
   */
  private static void migrate(
      String url, Properties credentials, HistorySettings.Database database) {
    if (SCHEMA_VERSION.equals(appliedVersion(url, credentials))) {
      return;
    }
    Flyway.configure(HistoryDatabase.class.getClassLoader())
        .dataSource(new PropertiesDataSource(url, credentials))
        .locations(
            MIGRATIONS + "/common",
            MIGRATIONS
                + "/"
                + (database == HistorySettings.Database.SQLITE ? "sqlite" : "standard"))
        .failOnMissingLocations(true)
        .placeholders(Map.of("run_seconds", runSeconds(database)))
        .load()
        .migrate();
  }

  /**
   * A run's duration in seconds, from {@code started_at} to {@code finished_at}, as this database
   * computes it: SQLite keeps times as text, read here to the millisecond (julianday's difference,
   * rounded so that a run of exactly 5 seconds is not 5.00004), the others as timestamps.
   */
  static String runSeconds(HistorySettings.Database database) {
    return switch (database) {
      case SQLITE ->
          "(ROUND((julianday(finished_at) - julianday(started_at)) * 86400000.0) / 1000.0)";
      case H2, POSTGRESQL -> "EXTRACT(EPOCH FROM (finished_at - started_at))";
    };
  }

  /**
   * The version of the last migration applied to the database, or null when it has no schema
   * history.
   */
  static String appliedVersion(String url, Properties credentials) {
    try (Connection connection = DriverManager.getConnection(url, credentials);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT \"version\" FROM \"flyway_schema_history\""
                    + " WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\" DESC LIMIT 1")) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      return null;
    }
  }

  /**
   * User and password for the driver; the password from the environment or a file, never from the
   * settings.
   */
  private static Properties credentials(HistorySettings settings) {
    Properties properties = new Properties();
    settings.user().ifPresent(user -> properties.setProperty("user", user));
    if (settings.passwordEnv().isPresent()) {
      String name = settings.passwordEnv().get();
      String value = System.getenv(name);
      if (value == null) {
        throw cannotOpen(
            settings,
            "the environment variable "
                + name
                + " (lakeport.history.password-env) is not set."
                + " Export it, or use lakeport.history.password-file",
            null);
      }
      properties.setProperty("password", value);
    }
    if (settings.passwordFile().isPresent()) {
      Path file = Path.of(settings.passwordFile().get());
      try {
        properties.setProperty("password", Files.readString(file).strip());
      } catch (IOException e) {
        throw cannotOpen(
            settings,
            "cannot read the password file "
                + file
                + " (lakeport.history.password-file)."
                + " Check that it exists and this user may read it",
            e);
      }
    }
    return properties;
  }

  private static HistoryException cannotOpen(
      HistorySettings settings, String reason, Throwable cause) {
    return HistoryException.cannot(
        "open the run history at " + Secrets.maskUrl(settings.url()), reason, cause);
  }

  /**
   * What went wrong, in the driver's own words: the first line of the first {@link SQLException}'s
   * message (Flyway wraps them), else of the deepest cause's.
   */
  private static String reason(Throwable e) {
    Throwable chosen = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      chosen = t;
      if (t instanceof SQLException && t.getMessage() != null) {
        break;
      }
    }
    return String.valueOf(chosen.getMessage()).lines().findFirst().orElse("").strip();
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing after a failure to open; the failure is what gets reported
    }
  }

  @Override
  public void close() {
    keeper.ifPresent(HistoryDatabase::closeQuietly);
  }

  /** A unit of work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }
}
