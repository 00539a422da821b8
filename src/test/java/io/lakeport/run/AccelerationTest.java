package io.lakeport.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.config.AcceleratorSettings;
import io.lakeport.config.AcceleratorSettings.Accelerator;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The context settings that load Comet, computed without starting Spark: which accelerator each
 * setting chooses where, the plugin beside others spark-submit gave, the off-heap size (explicit,
 * or half of the heap with a floor), and Spark's memory strings.
 */
class AccelerationTest {
  private static final long MIB = 1024L * 1024;

  private static AcceleratorSettings comet(Optional<Long> offHeap) {
    return new AcceleratorSettings(
        Accelerator.COMET, offHeap, Map.of("spark.comet.exec.enabled", "true"));
  }

  @Test
  void autoIsCometInEmbeddedLocalRunsWhereItCanRunAndPlainSparkElsewhere() {
    Optional<String> runs = Optional.empty();
    Optional<String> missing = Optional.of("the Comet jar is not on the class path");

    assertThat(Acceleration.choose(Accelerator.AUTO, true, runs))
        .isEqualTo(new Acceleration.Choice(Accelerator.COMET, Optional.empty()));
    assertThat(Acceleration.choose(Accelerator.AUTO, false, runs))
        .as("under spark-submit auto leaves the cluster alone, without a notice")
        .isEqualTo(new Acceleration.Choice(Accelerator.NONE, Optional.empty()));
    assertThat(Acceleration.choose(Accelerator.AUTO, true, missing))
        .isEqualTo(
            new Acceleration.Choice(
                Accelerator.NONE,
                Optional.of(
                    "Running on plain Spark: the comet accelerator (auto) cannot run here (the"
                        + " Comet jar is not on the class path).")));

    assertThat(Acceleration.choose(Accelerator.COMET, false, runs))
        .as("comet by name runs under spark-submit too")
        .isEqualTo(new Acceleration.Choice(Accelerator.COMET, Optional.empty()));
    assertThat(Acceleration.choose(Accelerator.COMET, true, missing).accelerator())
        .isEqualTo(Accelerator.NONE);
    assertThat(Acceleration.choose(Accelerator.COMET, true, missing).notice())
        .contains(
            "The comet accelerator is unavailable (the Comet jar is not on the class path);"
                + " running on plain Spark.");
    for (boolean local : new boolean[] {true, false}) {
      assertThat(Acceleration.choose(Accelerator.NONE, local, runs))
          .isEqualTo(new Acceleration.Choice(Accelerator.NONE, Optional.empty()));
    }
  }

  @Test
  void addsThePluginAfterThoseSparkSubmitGaveAndOnlyOnce() {
    Map<String, String> none = Map.of();
    assertThat(Acceleration.contextSettings(comet(Optional.empty()), true, none::get))
        .containsEntry("spark.plugins", "org.apache.spark.CometPlugin");

    Map<String, String> other = Map.of("spark.plugins", "com.example.Metrics");
    assertThat(Acceleration.contextSettings(comet(Optional.empty()), true, other::get))
        .containsEntry("spark.plugins", "com.example.Metrics,org.apache.spark.CometPlugin");

    Map<String, String> both =
        Map.of("spark.plugins", "org.apache.spark.CometPlugin,com.example.Metrics");
    assertThat(Acceleration.contextSettings(comet(Optional.empty()), true, both::get))
        .containsEntry("spark.plugins", "org.apache.spark.CometPlugin,com.example.Metrics");
  }

  @Test
  void setsTheShuffleManagerOffHeapMemoryAndTheSitesCometSettings() {
    Map<String, String> conf =
        Acceleration.contextSettings(comet(Optional.of(3L * 1024 * MIB)), false, key -> null);

    assertThat(conf)
        .containsEntry(
            "spark.shuffle.manager",
            "org.apache.spark.sql.comet.execution.shuffle.CometShuffleManager")
        .containsEntry("spark.memory.offHeap.enabled", "true")
        .containsEntry("spark.memory.offHeap.size", "3072m")
        .containsEntry("spark.comet.enabled", "true")
        .containsEntry("spark.comet.exec.enabled", "true");
  }

  @Test
  void autoOffHeapIsHalfTheExecutorHeapWithAFloor() {
    Map<String, String> big = Map.of("spark.executor.memory", "8g");
    assertThat(Acceleration.contextSettings(comet(Optional.empty()), false, big::get))
        .containsEntry("spark.memory.offHeap.size", 8 * 1024 / 2 + "m");

    Map<String, String> small = Map.of("spark.executor.memory", "600m");
    assertThat(Acceleration.contextSettings(comet(Optional.empty()), false, small::get))
        .containsEntry("spark.memory.offHeap.size", "512m");

    // a cluster run whose executor memory is not given: Spark's default executor heap, 1g
    assertThat(Acceleration.contextSettings(comet(Optional.empty()), false, key -> null))
        .containsEntry("spark.memory.offHeap.size", "512m");

    long local = Math.max(512, Runtime.getRuntime().maxMemory() / MIB / 2);
    assertThat(Acceleration.contextSettings(comet(Optional.empty()), true, key -> null))
        .containsEntry("spark.memory.offHeap.size", local + "m");
  }

  @Test
  void readsSparksMemoryStringsInMebibytes() {
    assertThat(Acceleration.megabytes("4g")).isEqualTo(4096);
    assertThat(Acceleration.megabytes("4G")).isEqualTo(4096);
    assertThat(Acceleration.megabytes("4gb")).isEqualTo(4096);
    assertThat(Acceleration.megabytes("512m")).isEqualTo(512);
    assertThat(Acceleration.megabytes("512")).isEqualTo(512);
    assertThat(Acceleration.megabytes(" 2048k ")).isEqualTo(2);
    assertThat(Acceleration.megabytes("1t")).isEqualTo(1024 * 1024);
  }
}
