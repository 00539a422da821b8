package io.lakeport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.lakeport.Fixtures;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * typesafe-config's standard overrides of the site settings, highest first: {@code
 * CONFIG_FORCE_lakeport_*} environment variables, {@code -Dlakeport.*} system properties, the
 * settings file ({@code -Dconfig.file} in place of {@code conf/application.conf}), reference.conf.
 * The environment is handed to {@link Site#load(Optional, Map)} as a map, as a child process would
 * see it; system properties are set in this JVM and cleared after each test.
 */
class SiteOverridesTest {
  private static final String PORT = "lakeport.api.port";

  @TempDir Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty(PORT);
    System.clearProperty(Site.CONFIG_FILE);
    // HOCON caches the system properties
    ConfigFactory.invalidateCaches();
  }

  @Test
  void configFileReplacesTheDefaultSettingsFile() {
    Path fallback = Fixtures.write(dir, "application.conf", "lakeport.api.port = 9001\n");
    Path named = Fixtures.write(dir, "elsewhere.conf", "lakeport.api.port = 9002\n");

    assertThat(Site.load(Site.settingsFile(fallback), Map.of()).api().port()).isEqualTo(9001);
    System.setProperty(Site.CONFIG_FILE, named.toString());

    assertThat(Site.settingsFile(fallback)).contains(named);
    assertThat(Site.load(Site.settingsFile(fallback), Map.of()).api().port()).isEqualTo(9002);
  }

  @Test
  void configFileThatDoesNotExistIsAMistake() {
    Path missing = dir.resolve("missing.conf");
    System.setProperty(Site.CONFIG_FILE, missing.toString());

    assertThatThrownBy(() -> Site.settingsFile(dir.resolve("application.conf")))
        .isInstanceOf(JobConfigException.class)
        .hasMessage(
            "-Dconfig.file: no settings file at \""
                + missing
                + "\". Name an existing file, or leave -Dconfig.file out to use "
                + dir.resolve("application.conf")
                + ".");
  }

  @Test
  void systemPropertiesOverrideTheFileAndEnvironmentVariablesOverrideBoth() {
    Path file =
        Fixtures.write(
            dir, "application.conf", "lakeport { api.port = 9001, time-zone = Asia/Tokyo }\n");
    System.setProperty(PORT, "9002");
    ConfigFactory.invalidateCaches();

    Site fromProperty = Site.load(Optional.of(file), Map.of());
    Site fromEnvironment =
        Site.load(
            Optional.of(file),
            Map.of(
                "CONFIG_FORCE_lakeport_api_port", "9003",
                "CONFIG_FORCE_lakeport_time__zone", "Europe/Berlin",
                "CONFIG_FORCE_lakeport_job__defaults_params_max___rows", "10",
                "CONFIG_FORCE_other_setting", "not Lakeport's",
                "LAKEPORT_UNRELATED", "ignored"));

    assertThat(fromProperty.api().port()).isEqualTo(9002);
    assertThat(fromProperty.timeZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(fromEnvironment.api().port()).isEqualTo(9003);
    assertThat(fromEnvironment.timeZone()).as("__ is a dash").isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(fromEnvironment.stack().getString("lakeport.job-defaults.params.max_rows"))
        .as("___ is an underscore")
        .isEqualTo("10");
    assertThat(fromEnvironment.stack().hasPath("other")).as("only lakeport.* is read").isFalse();
  }

  @Test
  void environmentVariablesAddListEntriesLikeNumberedProperties() {
    Site site =
        Site.load(
            Optional.empty(),
            Map.of(
                "CONFIG_FORCE_lakeport_sink__roots_0", "/data/out",
                "CONFIG_FORCE_lakeport_sink__roots_1", "s3a://bucket/exports"));

    assertThat(site.sinkRoots()).containsExactly("/data/out", "s3a://bucket/exports");
  }

  @Test
  void aVariableThatNamesNoPathIsAMistake() {
    assertThatThrownBy(
            () ->
                Site.load(
                    Optional.empty(),
                    Map.of(
                        "CONFIG_FORCE_lakeport_api____port", "9003",
                        "CONFIG_FORCE_lakeport_", "x")))
        .isInstanceOf(JobConfigException.class)
        .hasMessageContaining(
            "environment variable CONFIG_FORCE_lakeport_: not the path of a setting. After"
                + " CONFIG_FORCE_ write the path with _ for a dot, __ for a dash and ___ for an"
                + " underscore, e.g. CONFIG_FORCE_lakeport_api_port=9000.")
        .hasMessageContaining("environment variable CONFIG_FORCE_lakeport_api____port: not the");
  }
}
