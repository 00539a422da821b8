package io.lakeport.history;

import io.lakeport.config.HistorySettings;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The run history on an embedded H2 file, as Lakeport uses it by default. */
class H2HistoryStoreTest extends HistoryStoreContract {
  @TempDir Path dir;

  @Override
  HistorySettings settings() {
    return h2(dir);
  }

  @Override
  HistorySettings settingsAgain() {
    return h2(dir);
  }

  static HistorySettings h2(Path dir) {
    return new HistorySettings("jdbc:h2:file:" + dir.resolve("history").toAbsolutePath(), HistorySettings.Database.H2,
        Optional.empty(), Optional.empty(), Optional.empty(), TTL);
  }
}
