package io.lakeport.run;

import io.lakeport.config.AcceleratorSettings;
import io.lakeport.config.AcceleratorSettings.Accelerator;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;

/**
 * The Apache DataFusion Comet accelerator ({@code lakeport.spark.accelerator = comet}). Its plugin,
 * shuffle manager and off-heap memory are fixed when the Spark context starts; whether a session's
 * plans use it is the SQL setting {@code spark.comet.enabled}, which each job's session takes from
 * the session it was made from, so one context serves accelerated and plain runs alike.
 */
public final class Acceleration {
  public static final String ENABLED = "spark.comet.enabled";
  static final String PLUGINS = "spark.plugins";
  static final String PLUGIN = "org.apache.spark.CometPlugin";
  static final String SHUFFLE_MANAGER = "spark.shuffle.manager";
  static final String COMET_SHUFFLE =
      "org.apache.spark.sql.comet.execution.shuffle.CometShuffleManager";
  static final String OFF_HEAP_ENABLED = "spark.memory.offHeap.enabled";
  static final String OFF_HEAP_SIZE = "spark.memory.offHeap.size";
  private static final String EXECUTOR_MEMORY = "spark.executor.memory";
  private static final long MIB = 1024L * 1024;
  private static final long MIN_OFF_HEAP = 512 * MIB;

  /** Platforms whose native library the Comet jar carries ({@code os.arch} spellings). */
  private static final Set<String> NATIVE_ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64");

  private Acceleration() {}

  /**
   * Why Comet cannot run in this JVM (its jar is not on the class path, or the platform has no
   * native library in it), or empty when it can.
   */
  public static Optional<String> unavailable() {
    try {
      Class.forName(PLUGIN, false, Acceleration.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return Optional.of("the Comet jar is not on the class path");
    }
    String os = System.getProperty("os.name", "");
    String arch = System.getProperty("os.arch", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")
        || !NATIVE_ARCHITECTURES.contains(arch.toLowerCase(Locale.ROOT))) {
      return Optional.of("Comet has no native library for " + os + " " + arch);
    }
    return Optional.empty();
  }

  /**
   * The accelerator a session gets and, when it is not the one configured, the one line that says
   * why.
   */
  record Choice(Accelerator accelerator, Optional<String> notice) {}

  /**
   * What {@code configured} means for a session Lakeport creates: {@code auto} is Comet in embedded
   * local runs (Lakeport starts Spark itself on a local master) and plain Spark under spark-submit;
   * Comet where it {@code unavailable} falls back to plain Spark with a notice.
   */
  static Choice choose(
      Accelerator configured, boolean embeddedLocal, Optional<String> unavailable) {
    return switch (configured) {
      case NONE -> new Choice(Accelerator.NONE, Optional.empty());
      case COMET ->
          unavailable
              .map(
                  why ->
                      new Choice(
                          Accelerator.NONE,
                          Optional.of(
                              "The comet accelerator is unavailable ("
                                  + why
                                  + "); running on plain Spark.")))
              .orElse(new Choice(Accelerator.COMET, Optional.empty()));
      case AUTO -> {
        if (!embeddedLocal) {
          yield new Choice(Accelerator.NONE, Optional.empty());
        }
        yield unavailable
            .map(
                why ->
                    new Choice(
                        Accelerator.NONE,
                        Optional.of(
                            "Running on plain Spark: the comet accelerator (auto) cannot run here ("
                                + why
                                + ").")))
            .orElse(new Choice(Accelerator.COMET, Optional.empty()));
      }
    };
  }

  /**
   * The Comet jar this JVM loaded its plugin from (in a checkout Maven's copy, in the release
   * archive {@code lib/accelerator/}), for spark-submit's {@code --jars}; empty when Comet is not
   * on the class path or not loaded from a jar.
   */
  public static Optional<Path> jar() {
    try {
      Class<?> plugin = Class.forName(PLUGIN, false, Acceleration.class.getClassLoader());
      CodeSource source = plugin.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      Path location = Path.of(source.getLocation().toURI());
      return location.toString().endsWith(".jar") ? Optional.of(location) : Optional.empty();
    } catch (ClassNotFoundException | URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * The context settings that load Comet: its plugin (beside any other), its shuffle manager,
   * off-heap memory (the configured size, else half of the heap of the executors or, in local runs,
   * of this JVM, at least 512 MiB), {@code spark.comet.enabled} and the site's Comet settings.
   * {@code existing} gives a setting already fixed (by spark-submit), or null.
   */
  static Map<String, String> contextSettings(
      AcceleratorSettings settings, boolean local, Function<String, String> existing) {
    Map<String, String> conf = new LinkedHashMap<>();
    String plugins = existing.apply(PLUGINS);
    conf.put(
        PLUGINS,
        plugins == null || plugins.isBlank()
            ? PLUGIN
            : plugins.contains(PLUGIN) ? plugins : plugins + "," + PLUGIN);
    conf.put(SHUFFLE_MANAGER, COMET_SHUFFLE);
    conf.put(OFF_HEAP_ENABLED, "true");
    long offHeap =
        settings.offHeapBytes().orElseGet(() -> Math.max(MIN_OFF_HEAP, heap(local, existing) / 2));
    conf.put(OFF_HEAP_SIZE, offHeap / MIB + "m");
    conf.put(ENABLED, "true");
    conf.putAll(settings.cometConf());
    return conf;
  }

  /** Whether plans in {@code session} run on Comet: its plugin is loaded and it is enabled. */
  public static boolean active(SparkSession session) {
    return loaded(session) && Boolean.parseBoolean(session.conf().get(ENABLED, "false").trim());
  }

  /** Whether the Spark context was started with Comet's plugin. */
  public static boolean loaded(SparkSession session) {
    return session.sparkContext().conf().get(PLUGINS, "").contains(PLUGIN);
  }

  /**
   * Gives {@code job} (a new session of {@code parent}'s context) the parent's choice: a session
   * with Comet turned off runs its jobs on plain Spark.
   */
  static void inherit(SparkSession parent, SparkSession job) {
    if (loaded(parent)) {
      job.conf().set(ENABLED, String.valueOf(active(parent)));
    }
  }

  /** The accelerator a session's plans use. */
  public static Accelerator of(SparkSession session) {
    return active(session) ? Accelerator.COMET : Accelerator.NONE;
  }

  /**
   * What {@code lakeport explain} says about the accelerator of {@code plan} (planned in {@code
   * session}): with Comet active, which operators run natively and why the others do not; else that
   * it is off (or could not load) and how to turn it on.
   */
  public static String explain(SparkSession session, SparkPlan plan) {
    if (active(session)) {
      return NativeOperators.of(plan).describe();
    }
    if (loaded(session)) {
      return "comet is loaded but turned off in this session (" + ENABLED + " = false).\n";
    }
    Optional<String> unavailable = unavailable();
    String on =
        unavailable.isPresent()
            ? "It cannot run here: " + unavailable.get() + ".\n"
            : "Turn it on with --accelerator comet, lakeport.spark.accelerator = comet in the site"
                + " settings, or LAKEPORT_ACCELERATOR=comet (auto, the default, turns it on in"
                + " embedded local runs only).\n";
    return "The accelerator is off (none): every operator runs on Spark. " + on;
  }

  private static long heap(boolean local, Function<String, String> existing) {
    if (local) {
      return Runtime.getRuntime().maxMemory();
    }
    String executor = existing.apply(EXECUTOR_MEMORY);
    return executor == null ? 1024 * MIB : megabytes(executor) * MIB;
  }

  /** Spark's memory strings (a number with an optional unit; mebibytes when bare), in MiB. */
  static long megabytes(String memory) {
    return JavaUtils.byteStringAsMb(memory);
  }
}
