package io.lakeport.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.config.HistorySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

  @Test
  void aDatabaseRecreatedAtTheSameAddressGetsItsSchemaAgain() throws Exception {
    store
        .runLog()
        .enqueue(new RunRequest("r1", "orders", Optional.empty(), Trigger.MANUAL, Map.of()));
    store.close();
    // the database at this address is at the newest schema; its file is now removed behind its back
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }

    store = HistoryStore.open(settings(), clock);
    store
        .runLog()
        .enqueue(new RunRequest("r2", "orders", Optional.empty(), Trigger.MANUAL, Map.of()));

    assertThat(store.runLog().run("r1")).isEmpty();
    assertThat(store.runLog().run("r2")).get().extracting(Run::status).isEqualTo(RunStatus.QUEUED);
  }

  static HistorySettings h2(Path dir) {
    return new HistorySettings(
        "jdbc:h2:file:" + dir.resolve("history").toAbsolutePath(),
        HistorySettings.Database.H2,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        TTL,
        Optional.empty());
  }
}
