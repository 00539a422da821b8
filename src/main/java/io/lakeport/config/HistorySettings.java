package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the run history lives ({@code lakeport.history}): a JDBC URL of an embedded H2 file or a
 * PostgreSQL database, the user, and where the password comes from (an environment variable or a
 * file, read when the history is opened), and how long ended runs are kept ({@code keep}: the
 * scheduler deletes older ones; empty: kept forever). Holds no secret: a password in the URL is
 * refused.
 */
public record HistorySettings(
    String url,
    Database database,
    Optional<String> user,
    Optional<String> passwordEnv,
    Optional<String> passwordFile,
    Duration lockTtl,
    Optional<Duration> keep) {

  public HistorySettings {
    requireNonNull(url, "url is null");
    requireNonNull(database, "database is null");
    requireNonNull(user, "user is null");
    requireNonNull(passwordEnv, "passwordEnv is null");
    requireNonNull(passwordFile, "passwordFile is null");
    requireNonNull(lockTtl, "lockTtl is null");
    requireNonNull(keep, "keep is null");
  }

  /** The databases the history's schema is written for, told apart by their JDBC URL. */
  public enum Database {
    SQLITE("jdbc:sqlite:"),
    H2("jdbc:h2:"),
    POSTGRESQL("jdbc:postgresql:");

    private final String prefix;

    Database(String prefix) {
      this.prefix = prefix;
    }

    /** The database a JDBC URL names, if it is one of these. */
    public static Optional<Database> of(String url) {
      for (Database database : values()) {
        if (url.startsWith(database.prefix)) {
          return Optional.of(database);
        }
      }
      return Optional.empty();
    }
  }
}
