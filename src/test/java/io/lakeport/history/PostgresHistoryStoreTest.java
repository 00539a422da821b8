package io.lakeport.history;

import io.lakeport.PostgresServer;
import io.lakeport.config.HistorySettings;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run history on a real PostgreSQL server, started for this class from Debian's packages
 * (skipped, with the reason, where they cannot be had): one new database per test.
 */
class PostgresHistoryStoreTest extends HistoryStoreContract {
  @TempDir static Path dir;
  private static PostgresServer server;
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private String url;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start(dir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  HistorySettings settings() {
    try {
      url = server.createDatabase("history_" + DATABASES.incrementAndGet());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return settingsAgain();
  }

  @Override
  HistorySettings settingsAgain() {
    return new HistorySettings(
        url,
        HistorySettings.Database.POSTGRESQL,
        Optional.of(server.user()),
        Optional.empty(),
        Optional.empty(),
        TTL,
        Optional.empty());
  }
}
