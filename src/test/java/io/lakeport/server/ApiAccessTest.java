package io.lakeport.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeport.Fixtures;
import io.lakeport.config.ApiSettings;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call what: reads closed by config, an API without a token, and where the token comes
 * from.
 */
class ApiAccessTest {
  @TempDir Path dir;

  @Test
  void closedReadsNeedTheTokenButHealthAndThePageStayOpen() throws IOException {
    try (ApiFixture api = new ApiFixture(dir, ApiSettings.Reads.TOKEN, true)) {
      for (String path :
          new String[] {"/api/jobs", "/api/jobs/orders", "/api/runs", "/api/runs/x", "/metrics"}) {
        HttpResponse<String> anonymous = api.get(path);
        assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
        assertThat(ApiServerTest.json(anonymous).path("error").asText())
            .as(path)
            .contains("bearer token");
      }
      assertThat(api.get("/api/jobs", "wrong").statusCode()).isEqualTo(403);
      assertThat(api.get("/api/jobs", ApiFixture.TOKEN).statusCode()).isEqualTo(200);
      assertThat(api.get("/metrics", ApiFixture.TOKEN).statusCode()).isEqualTo(200);
      assertThat(api.get("/health").statusCode()).isEqualTo(200);
      assertThat(api.get("/").statusCode()).isEqualTo(200);
      assertThat(api.answers)
          .allSatisfy(answer -> assertThat(answer).doesNotContain(ApiFixture.TOKEN));
    }
  }

  @Test
  void withoutATokenReadsWorkAndEveryChangeIsRefused() throws IOException {
    try (ApiFixture api = new ApiFixture(dir, ApiSettings.Reads.OPEN, false)) {
      assertThat(api.get("/api/jobs").statusCode()).isEqualTo(200);
      String refused =
          "Calls that change anything are refused: the API has no token. Set lakeport.api.token-env or"
              + " lakeport.api.token-file in the site settings and restart the scheduler.";
      for (HttpResponse<String> response :
          List.of(
              api.put("/api/jobs/orders/enabled", "{\"enabled\": false}", Optional.of("anything")),
              api.post("/api/jobs/orders/runs", "", Optional.of("anything")),
              api.post("/api/runs/x/cancel", "", Optional.empty()))) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(ApiServerTest.json(response).path("error").asText()).isEqualTo(refused);
      }
      assertThat(api.store.schedules().enabledOverride("orders")).isEmpty();
      assertThat(api.store.runLog().queued()).isEmpty();
    }
  }

  @Test
  void theTokenComesFromTheEnvironmentOrAFileAndItsAbsenceIsAClearError() {
    ApiSettings fromEnv = settings(Optional.of("LAKEPORT_API_TOKEN"), Optional.empty());
    Token token = Token.of(fromEnv, Map.of("LAKEPORT_API_TOKEN", " abc ")::get);
    token.check(Optional.of("Bearer abc"));
    token.check(Optional.of("bearer  abc"));
    assertThatThrownBy(() -> token.check(Optional.of("Bearer abd")))
        .isInstanceOf(ApiError.class)
        .extracting(e -> ((ApiError) e).status())
        .isEqualTo(403);
    assertThatThrownBy(() -> token.check(Optional.of("Basic abc")))
        .isInstanceOf(ApiError.class)
        .extracting(e -> ((ApiError) e).status())
        .isEqualTo(401);

    assertThatThrownBy(() -> Token.of(fromEnv, Map.<String, String>of()::get))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "Cannot start the API: the environment variable LAKEPORT_API_TOKEN (lakeport.api.token-env) is not"
                + " set. Export it, or use lakeport.api.token-file.");
    assertThatThrownBy(() -> Token.of(fromEnv, Map.of("LAKEPORT_API_TOKEN", "  ")::get))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "Cannot start the API: the token from the environment variable LAKEPORT_API_TOKEN"
                + " (lakeport.api.token-env) is empty. Put the token there.");
    Path missing = dir.resolve("no.token");
    assertThatThrownBy(
            () -> Token.of(settings(Optional.empty(), Optional.of(missing)), name -> null))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "Cannot start the API: cannot read the token file "
                + missing
                + " (lakeport.api.token-file): NoSuchFileException "
                + missing
                + ". Create it, readable by the scheduler, or"
                + " use lakeport.api.token-env.");
    Path file = Fixtures.write(dir, "api.token", "from-file\n");
    Token.of(settings(Optional.empty(), Optional.of(file)), name -> null)
        .check(Optional.of("Bearer from-file"));
  }

  @Test
  void anAddressInUseIsReportedWithTheSettingThatFixesIt() throws IOException {
    try (ApiFixture api = ApiFixture.open(dir)) {
      ApiSettings taken =
          new ApiSettings(
              ApiSettings.Status.ENABLED,
              "127.0.0.1",
              api.server.uri().getPort(),
              Optional.empty(),
              Optional.empty(),
              ApiSettings.Reads.OPEN);
      assertThatThrownBy(
              () ->
                  ApiServer.start(
                      taken, api.store, List.of(), Map.of(), api.scheduler, null, api.clock))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(
              "Cannot serve the API on 127.0.0.1:" + api.server.uri().getPort() + ": ")
          .hasMessageEndingWith(
              ". Set lakeport.api.port (or address) to a free one, or lakeport.api.enabled = false");
    }
  }

  private static ApiSettings settings(Optional<String> env, Optional<Path> file) {
    return new ApiSettings(
        ApiSettings.Status.ENABLED, "127.0.0.1", 0, env, file, ApiSettings.Reads.OPEN);
  }
}
