package io.lakeport.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.TestClock;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history skips Flyway only for a database at the newest bundled migration. */
class HistorySchemaTest {
  private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.+\\.sql");

  @TempDir Path dir;

  @Test
  void theSchemaVersionIsTheNewestBundledMigration() throws Exception {
    Path migrations = Path.of(resource("db/history"));
    int newest;
    try (Stream<Path> files = Files.list(migrations)) {
      newest = files.map(file -> MIGRATION.matcher(file.getFileName().toString()))
          .filter(Matcher::matches)
          .mapToInt(m -> Integer.parseInt(m.group(1)))
          .max().orElseThrow();
    }
    assertThat(HistoryDatabase.SCHEMA_VERSION).isEqualTo(Integer.toString(newest));
  }

  @Test
  void aDatabaseOfAnOlderLakeportIsMigratedWhenOpened() {
    var settings = H2HistoryStoreTest.h2(dir);
    String url = io.lakeport.history.H2Sharing.url(settings.url());
    H2Sharing.createFolder(settings.url());
    // the schema as Lakeport had it before its newest migration
    Flyway.configure(HistoryDatabase.class.getClassLoader()).dataSource(url, "", "")
        .locations(HistoryDatabase.MIGRATIONS).target(previous()).load().migrate();
    assertThat(HistoryDatabase.appliedVersion(url, new Properties())).isEqualTo(previous());

    try (HistoryStore store = HistoryStore.open(settings, TestClock.at("2026-11-24T02:00:00Z"))) {
      store.enqueue(new RunRequest("r1", "orders", Optional.empty(), Trigger.MANUAL, Map.of()));
      assertThat(store.run("r1")).isPresent();
    }

    assertThat(HistoryDatabase.appliedVersion(url, new Properties())).isEqualTo(HistoryDatabase.SCHEMA_VERSION);
  }

  private static String previous() {
    return Integer.toString(Integer.parseInt(HistoryDatabase.SCHEMA_VERSION) - 1);
  }

  private static java.net.URI resource(String name) throws URISyntaxException {
    return HistorySchemaTest.class.getClassLoader().getResource(name).toURI();
  }
}
