package io.lakeport.schedule.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.launcher.SparkLauncher;

/**
 * The spark-submit of one run, kept as data so it can be shown, logged and tested without starting
 * anything, and applied to a {@link SparkLauncher} the same way: {@code --master}, {@code
 * --deploy-mode}, {@code --name lakeport:<job>:<run>}, {@code --conf}s in key order, {@code --jars}
 * when there are any, {@code --class} Lakeport's entry point, the application jar, then {@code run
 * <job file> --param k=v ... [--accelerator A] --outcome-file F}.
 */
public record SubmitCommand(SubmitSettings settings, LaunchRequest request, Path outcomeFile) {
  static final String MAIN_CLASS = "io.lakeport.cli.Lakeport";

  /** The system property log4j2 reads its configuration file from. */
  public static final String LOG_CONFIG_PROPERTY = "log4j2.configurationFile";

  static final String SUBMIT_OPTIONS = "SPARK_SUBMIT_OPTS";

  /** The name the run has in Spark (UI, history server, cluster manager). */
  public String appName() {
    return "lakeport:" + request.job() + ":" + request.runId();
  }

  /** What follows the application jar: Lakeport's own command line. */
  public List<String> appArgs() {
    List<String> args = new ArrayList<>(request.command());
    if (request.kind() == RunKind.EXPORT) {
      settings.accelerator().ifPresent(a -> args.addAll(List.of("--accelerator", a)));
    }
    settings.siteConf().ifPresent(conf -> args.add("--site-conf=" + conf));
    args.addAll(List.of("--run-id", request.runId(), "--outcome-file", outcomeFile.toString()));
    return args;
  }

  /** The spark-submit arguments, as {@code bin/spark-submit} would be called. */
  public List<String> arguments() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--master",
                settings.master(),
                "--deploy-mode",
                settings.deployMode(),
                "--name",
                appName()));
    new TreeMap<>(settings.conf()).forEach((k, v) -> args.addAll(List.of("--conf", k + "=" + v)));
    if (!settings.jars().isEmpty()) {
      args.addAll(List.of("--jars", jarList()));
    }
    args.addAll(List.of("--class", MAIN_CLASS, settings.appJar().toString()));
    args.addAll(appArgs());
    return args;
  }

  /**
   * The environment spark-submit gets beyond the scheduler's: {@code SPARK_SUBMIT_OPTS} naming the
   * log configuration, which the JVM that runs spark-submit (the driver, in client mode) reads,
   * with any Spark home (the one the build assembles as well as an installed one).
   */
  public Map<String, String> environment(Optional<String> submitOptions) {
    if (settings.logConfig().isEmpty()) {
      return Map.of();
    }
    String option = "-D" + LOG_CONFIG_PROPERTY + "=" + settings.logConfig().get();
    return Map.of(
        SUBMIT_OPTIONS,
        submitOptions.filter(o -> !o.isBlank()).map(o -> o + " " + option).orElse(option));
  }

  /** Applies the same command to Spark's launcher. */
  SparkLauncher configure(SparkLauncher launcher) {
    launcher
        .setSparkHome(settings.sparkHome().toString())
        .setMaster(settings.master())
        .setDeployMode(settings.deployMode())
        .setAppName(appName())
        .setMainClass(MAIN_CLASS)
        .setAppResource(settings.appJar().toString());
    for (Map.Entry<String, String> entry : new TreeMap<>(settings.conf()).entrySet()) {
      launcher.setConf(entry.getKey(), entry.getValue());
    }
    settings.jars().forEach(jar -> launcher.addJar(jar.toString()));
    return launcher.addAppArgs(appArgs().toArray(String[]::new));
  }

  private String jarList() {
    return String.join(",", settings.jars().stream().map(Path::toString).toList());
  }
}
