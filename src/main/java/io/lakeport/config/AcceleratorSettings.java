package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The execution accelerator of the site's Spark sessions ({@code lakeport.spark.accelerator}):
 * plain Spark, Apache DataFusion Comet, or Comet where Lakeport runs Spark itself on a local master
 * (the default), with Comet's off-heap memory ({@code lakeport.spark.comet.off-heap}: empty means
 * derived from the heap) and the Comet settings Lakeport applies over Comet's defaults ({@code
 * lakeport.spark.comet.conf}, where operators and expressions that diverged from Spark are turned
 * off).
 */
public record AcceleratorSettings(
    Accelerator accelerator, Optional<Long> offHeapBytes, Map<String, String> cometConf) {

  static final String ACCELERATOR = "accelerator";
  static final String COMET = "comet";
  static final String OFF_HEAP = "off-heap";
  static final String CONF = "conf";
  private static final String AUTO = "auto";

  /** What runs a job's Spark plan. */
  public enum Accelerator {
    /**
     * {@link #COMET} in embedded local runs where it can run (its jar and a native library for the
     * platform), else {@link #NONE}: under spark-submit a cluster's executors need Comet's jar and
     * memory set up, which only an explicit {@code comet} asks for.
     */
    AUTO,
    /** Plain Spark. */
    NONE,
    /** Apache DataFusion Comet's native operators where they apply, Spark elsewhere. */
    COMET
  }

  public AcceleratorSettings {
    requireNonNull(accelerator, "accelerator is null");
    requireNonNull(offHeapBytes, "offHeapBytes is null");
    cometConf = Map.copyOf(cometConf);
  }

  /** These settings with another accelerator (a command's {@code --accelerator}). */
  public AcceleratorSettings with(Accelerator other) {
    return new AcceleratorSettings(other, offHeapBytes, cometConf);
  }

  /** Reads {@code accelerator} and the {@code comet} block of {@code lakeport.spark}. */
  static AcceleratorSettings read(Section spark) {
    Accelerator accelerator = spark.enumValue(ACCELERATOR, Accelerator.class, Accelerator.AUTO);
    Section comet = spark.section(COMET, OFF_HEAP, CONF);
    Optional<Long> offHeap =
        comet.optionalString(OFF_HEAP).filter(AUTO::equals).isPresent()
            ? Optional.empty()
            : comet.optionalBytes(OFF_HEAP);
    Map<String, String> conf = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : comet.entries(CONF).entrySet()) {
      conf.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
    }
    return new AcceleratorSettings(accelerator, offHeap, conf);
  }
}
