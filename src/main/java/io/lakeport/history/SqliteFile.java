package io.lakeport.history;

import java.sql.SQLException;
import java.util.Properties;

/**
 * The embedded history in a SQLite file: how its connections are set up so that the processes of
 * one machine (CLI commands, a scheduler, runs) use it at once. The file is in WAL mode, so readers
 * never wait for the writer; a transaction takes the write lock when it begins ({@code BEGIN
 * IMMEDIATE}), so two writers never deadlock upgrading a read lock, and waits up to {@link
 * #BUSY_TIMEOUT_MS} for another to end. No server and no port: nothing of it can be reached from
 * another machine.
 */
final class SqliteFile {
  static final String PREFIX = "jdbc:sqlite:";

  /**
   * How long a statement waits for another process's write to end before SQLite reports it busy.
   */
  static final int BUSY_TIMEOUT_MS = 30_000;

  /** SQLite's result codes: the database is busy (locked by another connection) or locked. */
  private static final int SQLITE_BUSY = 5;

  private static final int SQLITE_LOCKED = 6;

  /** A constraint (a unique key, a primary key) refused the write. */
  private static final int SQLITE_CONSTRAINT = 19;

  private SqliteFile() {}

  /**
   * The driver's connection settings (pragmas) that every connection to the file is opened with.
   */
  static Properties settings() {
    Properties settings = new Properties();
    settings.setProperty("journal_mode", "WAL");
    settings.setProperty("synchronous", "NORMAL");
    settings.setProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT_MS));
    settings.setProperty("transaction_mode", "IMMEDIATE");
    settings.setProperty("foreign_keys", "true");
    return settings;
  }

  /**
   * Whether SQLite said the file is busy: another connection held it longer than the busy timeout.
   */
  static boolean isBusy(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    return e.getClass().getName().startsWith("org.sqlite.")
        && (primary == SQLITE_BUSY || primary == SQLITE_LOCKED);
  }

  /**
   * Whether SQLite refused a write because a key is taken: a lost race, as a unique violation
   * elsewhere.
   */
  static boolean isConstraint(SQLException e) {
    return e.getClass().getName().startsWith("org.sqlite.")
        && (e.getErrorCode() & 0xff) == SQLITE_CONSTRAINT;
  }

  /**
   * Creates the folder of a SQLite file for its user alone ({@link PrivateFolder}); an in-memory
   * database has none.
   */
  static void createFolder(String url) {
    String path = url.substring(PREFIX.length()).split("\\?", 2)[0];
    if (!path.isEmpty() && !path.startsWith(":") && !path.startsWith("file:")) {
      PrivateFolder.createFor(path);
    }
  }
}
