package io.lakeport.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads {@code lakeport.scheduler} from the site settings. */
final class SchedulerReader {
  static final String MAX_CONCURRENT_RUNS = "max-concurrent-runs";
  static final String TICK = "tick";
  static final String MISSED_AFTER = "missed-after";
  static final String DEFAULT_TIMEOUT = "default-timeout";
  static final String LAUNCHER = "launcher";
  static final String SPARK_SUBMIT = "spark-submit";
  private static final String SPARK_HOME = "spark-home";
  private static final String MASTER = "master";
  private static final String DEPLOY_MODE = "deploy-mode";
  private static final String APP_JAR = "app-jar";
  private static final String CONF = "conf";
  private static final String LOGS = "logs";

  private SchedulerReader() {}

  /** Reads {@code key} (the {@code scheduler} block) of the {@code lakeport} section. */
  static SchedulerSettings read(Section site, String key) {
    Section scheduler =
        site.section(
            key, MAX_CONCURRENT_RUNS, TICK, MISSED_AFTER, DEFAULT_TIMEOUT, LAUNCHER, SPARK_SUBMIT);
    Optional<Long> max = scheduler.optionalLong(MAX_CONCURRENT_RUNS);
    if (max.isEmpty() || max.get() < 1 || max.get() > Integer.MAX_VALUE) {
      scheduler.problem(
          MAX_CONCURRENT_RUNS,
          "expected a whole number of at least 1, found \""
              + scheduler.optionalString(MAX_CONCURRENT_RUNS).orElse("")
              + "\"",
          "Use e.g. max-concurrent-runs = 2.");
    }
    return new SchedulerSettings(
        max.filter(m -> m >= 1 && m <= Integer.MAX_VALUE).orElse(1L).intValue(),
        positive(scheduler, TICK),
        positive(scheduler, MISSED_AFTER),
        positive(scheduler, DEFAULT_TIMEOUT),
        scheduler.enumValue(
            LAUNCHER, SchedulerSettings.Launcher.class, SchedulerSettings.Launcher.IN_PROCESS),
        sparkSubmit(
            scheduler.section(SPARK_SUBMIT, SPARK_HOME, MASTER, DEPLOY_MODE, APP_JAR, CONF, LOGS)));
  }

  private static SchedulerSettings.SparkSubmit sparkSubmit(Section submit) {
    String deployMode = submit.string(DEPLOY_MODE);
    if (!deployMode.isEmpty() && !deployMode.equals("client") && !deployMode.equals("cluster")) {
      submit.problem(
          DEPLOY_MODE, "unknown value \"" + deployMode + "\"", "Expected one of: client, cluster.");
    }
    Map<String, String> conf = new LinkedHashMap<>();
    submit
        .entries(CONF)
        .forEach((name, value) -> conf.put(name, String.valueOf(value.unwrapped())));
    return new SchedulerSettings.SparkSubmit(
        Path.of(submit.string(SPARK_HOME)),
        submit.string(MASTER),
        deployMode,
        submit.optionalString(APP_JAR).map(Path::of),
        conf,
        Path.of(submit.string(LOGS)));
  }

  private static Duration positive(Section scheduler, String key) {
    Optional<Duration> duration = scheduler.optionalDuration(key);
    if (duration.isEmpty() || duration.get().isNegative() || duration.get().isZero()) {
      scheduler.problem(
          key,
          "expected a duration longer than zero, found \""
              + scheduler.optionalString(key).orElse("")
              + "\"",
          "Use e.g. " + key + " = 5 minutes.");
    }
    return duration.filter(d -> !d.isNegative() && !d.isZero()).orElse(Duration.ofMinutes(1));
  }
}
