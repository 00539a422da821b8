package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.HistorySettings.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lakeport.history} block: where the run history lives and how Lakeport logs in to it.
 */
class HistorySettingsTest {
  private static final Path VALID = Path.of("src/test/resources/site/valid/history.conf");

  @TempDir Path dir;

  @Test
  void theDefaultIsASqliteFileUnderTheHomesDataFolder() {
    HistorySettings history = Fixtures.site().history();

    String home = System.getProperty("lakeport.home", ".");
    assertThat(history)
        .isEqualTo(
            new HistorySettings(
                "jdbc:sqlite:" + home + "/data/history/lakeport.db",
                Database.SQLITE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Duration.ofMinutes(5),
                Optional.of(Duration.ofDays(90))));
  }

  @Test
  void readsAPostgresqlDatabaseWithItsUserAndWhereThePasswordIs() {
    assertThat(Site.load(Optional.of(VALID)).history())
        .isEqualTo(
            new HistorySettings(
                "jdbc:postgresql://db.internal:5432/lakeport",
                Database.POSTGRESQL,
                Optional.of("lakeport"),
                Optional.of("LAKEPORT_HISTORY_PASSWORD"),
                Optional.empty(),
                Duration.ofMinutes(2),
                Optional.of(Duration.ofDays(90))));
  }

  @Test
  void anH2PathRelativeToTheWorkingDirectoryIsMadeExplicitAsH2Asks() {
    Path conf =
        Fixtures.write(
            dir,
            "application.conf",
            """
        lakeport.history.url = "jdbc:h2:file:relative/home/data/history/lakeport"
        lakeport.history.password-file = /run/secrets/history
        """);

    HistorySettings history = Site.load(Optional.of(conf)).history();

    assertThat(history.url()).isEqualTo("jdbc:h2:file:./relative/home/data/history/lakeport");
    assertThat(history.passwordFile()).contains("/run/secrets/history");
  }

  @Test
  void endedRunsAreKeptAsLongAsTheSiteSaysOrForeverWithNull() {
    Path thirty = Fixtures.write(dir, "thirty.conf", "lakeport.history.keep = 30d\n");
    Path forever = Fixtures.write(dir, "forever.conf", "lakeport.history.keep = null\n");

    assertThat(Site.load(Optional.of(thirty)).history().keep()).contains(Duration.ofDays(30));
    assertThat(Site.load(Optional.of(forever)).history().keep()).isEmpty();
  }
}
