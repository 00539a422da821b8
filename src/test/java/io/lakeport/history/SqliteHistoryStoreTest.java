package io.lakeport.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.config.HistorySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run history in an embedded SQLite file, as Lakeport keeps it by default. */
class SqliteHistoryStoreTest extends HistoryStoreContract {
  @TempDir Path dir;

  @Override
  HistorySettings settings() {
    return sqlite(dir);
  }

  @Override
  HistorySettings settingsAgain() {
    return sqlite(dir);
  }

  @Test
  void timesSortAsTimesWhateverTheirTextSpells() {
    // as ISO text of varying width, "...:00Z" would sort after "...:00.500Z"; stored, they sort as
    // times
    store
        .runLog()
        .enqueue(new RunRequest("b-early", "orders", Optional.empty(), Trigger.MANUAL, Map.of()));
    clock.advance(Duration.ofMillis(500));
    store
        .runLog()
        .enqueue(new RunRequest("a-late", "orders", Optional.empty(), Trigger.MANUAL, Map.of()));

    assertThat(store.runLog().runs(new RunFilter(Optional.of("orders"), Optional.empty(), 10)))
        .extracting(Run::id)
        .containsExactly("a-late", "b-early");
    assertThat(store.runLog().run("a-late").orElseThrow().queuedAt())
        .isEqualTo(Instant.parse("2026-11-24T02:00:00.500Z"));
  }

  static HistorySettings sqlite(Path dir) {
    return new HistorySettings(
        "jdbc:sqlite:" + dir.resolve("history/lakeport.db").toAbsolutePath(),
        HistorySettings.Database.SQLITE,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        TTL,
        Optional.empty());
  }
}
