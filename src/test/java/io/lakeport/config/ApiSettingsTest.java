package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code lakeport.api} block: where the scheduler serves its status API and who may call it.
 */
class ApiSettingsTest {
  private static final Path VALID = Path.of("src/test/resources/site/valid/api.conf");

  @Test
  void byDefaultTheApiServesThisMachineOnlyWithOpenReadsAndNoToken() {
    assertThat(Fixtures.site().api())
        .isEqualTo(
            new ApiSettings(
                ApiSettings.Status.ENABLED,
                "127.0.0.1",
                8470,
                Optional.empty(),
                Optional.empty(),
                ApiSettings.Reads.OPEN));
  }

  @Test
  void readsAddressPortWhereTheTokenIsAndClosedReads() {
    ApiSettings api = Site.load(Optional.of(VALID)).api();

    assertThat(api)
        .isEqualTo(
            new ApiSettings(
                ApiSettings.Status.ENABLED,
                "0.0.0.0",
                9090,
                Optional.of("LAKEPORT_API_TOKEN"),
                Optional.empty(),
                ApiSettings.Reads.TOKEN));
    assertThat(api.tokenSource())
        .isEqualTo("the environment variable LAKEPORT_API_TOKEN (lakeport.api.token-env)");
  }
}
