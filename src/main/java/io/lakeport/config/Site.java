package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Site settings, typesafe-config's standard stack, each layer over the next: {@code
 * CONFIG_FORCE_lakeport_*} environment variables, {@code -Dlakeport.*} system properties, the
 * settings file ({@code conf/application.conf}, or {@code -Dconfig.file}), {@code reference.conf}
 * defaults; {@code ${?VAR}} substitutions read the environment too. Holds the unresolved stack too,
 * so job files can refer to {@code ${lakeport.exports}} and the like. Exports are written under
 * {@code exports} or one of {@code sinkRoots} ({@code lakeport.sink-roots}). Object storage ({@code
 * lakeport.s3}) is read into {@link S3Settings}, the run history ({@code lakeport.history}) into
 * {@link HistorySettings}, notification channels and subscriptions ({@code lakeport.notifications})
 * into {@link NotificationSettings}, the scheduler's status API ({@code lakeport.api}) into {@link
 * ApiSettings}. Each run writes its log file under {@code logs} ({@code lakeport.logs}).
 */
public record Site(
    Config stack,
    String home,
    String warehouse,
    String exports,
    List<String> sinkRoots,
    ZoneId timeZone,
    Path logs,
    String master,
    Map<String, String> sparkConf,
    AcceleratorSettings accelerator,
    S3Settings s3,
    HistorySettings history,
    SchedulerSettings scheduler,
    NotificationSettings notifications,
    ApiSettings api) {

  static final String ROOT = "lakeport";
  static final String HOME = "home";
  static final String WAREHOUSE = "warehouse";
  static final String EXPORTS = "exports";
  static final String SINK_ROOTS = "sink-roots";
  static final String TIME_ZONE = "time-zone";
  static final String LOGS = "logs";
  static final String SPARK = "spark";
  static final String MASTER = "master";
  static final String CONF = "conf";
  static final String JOB_DEFAULTS = "job-defaults";
  static final String SINK_OPTIONS = "sink-options";
  static final String SCHEDULE_DEFAULTS = "schedule-defaults";
  static final String S3 = "s3";
  static final String HISTORY = "history";
  static final String SCHEDULER = "scheduler";
  static final String NOTIFICATIONS = "notifications";
  static final String AIRFLOW = "airflow";
  static final String API = "api";
  static final String LINEAGE = "lineage";
  static final String SQL = "sql";
  static final String ALLOW_JAVA_METHODS = "allow-java-methods";
  static final String RETENTION = "retention";

  /** typesafe-config's system property naming a settings file in place of the default one. */
  public static final String CONFIG_FILE = "config.file";

  /**
   * typesafe-config's prefix of environment variables that override settings: after it, {@code _}
   * is a dot, {@code __} a dash and {@code ___} an underscore ({@code
   * CONFIG_FORCE_lakeport_api_port=9000} sets {@code lakeport.api.port}).
   */
  static final String CONFIG_FORCE = "CONFIG_FORCE_";

  /** Spark passes settings with this prefix on to Hadoop, without it. */
  static final String SPARK_HADOOP = "spark.hadoop.";

  public Site {
    requireNonNull(stack, "stack is null");
    requireNonNull(home, "home is null");
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(exports, "exports is null");
    sinkRoots = List.copyOf(sinkRoots);
    requireNonNull(timeZone, "timeZone is null");
    requireNonNull(logs, "logs is null");
    requireNonNull(master, "master is null");
    sparkConf = Map.copyOf(sparkConf);
    requireNonNull(accelerator, "accelerator is null");
    requireNonNull(s3, "s3 is null");
    requireNonNull(history, "history is null");
    requireNonNull(scheduler, "scheduler is null");
    requireNonNull(notifications, "notifications is null");
    requireNonNull(api, "api is null");
  }

  /**
   * The settings Lakeport gives Spark when it creates a session: the {@code lakeport.s3} block as
   * {@code spark.hadoop.fs.s3a.*} settings, then {@code lakeport.spark.conf}, whose entries win
   * over the block key by key.
   */
  public Map<String, String> sparkSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    s3.hadoopSettings().forEach((key, value) -> settings.put(SPARK_HADOOP + key, value));
    settings.putAll(sparkConf);
    return Collections.unmodifiableMap(settings);
  }

  /** These settings with another accelerator: a command's {@code --accelerator}. */
  public Site withAccelerator(AcceleratorSettings.Accelerator choice) {
    return new Site(
        stack,
        home,
        warehouse,
        exports,
        sinkRoots,
        timeZone,
        logs,
        master,
        sparkConf,
        accelerator.with(choice),
        s3,
        history,
        scheduler,
        notifications,
        api);
  }

  /**
   * {@code lakeport.airflow}: the Airflow REST API and what generated DAGs submit. Read on demand
   * (only the airflow commands need it); {@link #load} has already checked it.
   */
  public AirflowSettings airflow() {
    Problems problems = new Problems();
    AirflowSettings settings =
        AirflowReader.read(new Section(resolve(stack), ROOT, problems), AIRFLOW);
    problems.throwIfAny();
    return settings;
  }

  /**
   * {@code lakeport.lineage}: where runs send their OpenLineage events, if anywhere. Read on
   * demand; {@link #load} has already checked it.
   */
  /**
   * Whether job expressions may call Java methods by name ({@code reflect}, {@code java_method},
   * {@code try_reflect}): {@code lakeport.sql.allow-java-methods}, false unless every job author is
   * trusted with running any static method in the driver and the executors.
   */
  public boolean allowsJavaMethods() {
    Problems problems = new Problems();
    Section sql = new Section(resolve(stack), ConfigUtil.joinPath(ROOT, SQL), problems);
    boolean allowed = sql.optionalBoolean(ALLOW_JAVA_METHODS).orElse(false);
    problems.throwIfAny();
    return allowed;
  }

  public LineageSettings lineage() {
    Problems problems = new Problems();
    LineageSettings settings =
        LineageReader.read(new Section(resolve(stack), ROOT, problems), LINEAGE);
    problems.throwIfAny();
    return settings;
  }

  /**
   * Loads the site settings, with {@code applicationConf} when it is present, under this process's
   * {@code -Dlakeport.*} properties and {@code CONFIG_FORCE_lakeport_*} environment variables.
   */
  public static Site load(Optional<Path> applicationConf) {
    return load(applicationConf, System.getenv());
  }

  /** As {@link #load(Optional)}, with {@code environment} in place of this process's. */
  public static Site load(Optional<Path> applicationConf, Map<String, String> environment) {
    Config reference = ConfigFactory.parseResources(Site.class.getClassLoader(), "reference.conf");
    Config application =
        applicationConf
            .filter(Files::isRegularFile)
            .map(path -> parse(path))
            .orElse(ConfigFactory.empty());
    Config stack =
        lakeportOnly(environmentOverrides(environment))
            .withFallback(lakeportOnly(ConfigFactory.systemProperties()))
            .withFallback(application)
            .withFallback(reference);
    Config resolved = resolve(stack);
    return read(stack, resolved);
  }

  /**
   * The site settings file: the one {@code -Dconfig.file} names (typesafe-config's override, which
   * must exist), else {@code defaultFile} (which may be absent: then reference.conf alone).
   */
  public static Optional<Path> settingsFile(Path defaultFile) {
    String named = System.getProperty(CONFIG_FILE);
    if (named == null || named.isBlank()) {
      return Optional.of(defaultFile);
    }
    Path file = Path.of(named);
    if (!Files.isRegularFile(file)) {
      throw new JobConfigException(
          List.of(
              new ConfigProblem(
                  new Origin("-D" + CONFIG_FILE, 0, ""),
                  "no settings file at \"" + named + "\"",
                  "Name an existing file, or leave -D"
                      + CONFIG_FILE
                      + " out to use "
                      + defaultFile
                      + ".")));
    }
    return Optional.of(file);
  }

  /**
   * {@code CONFIG_FORCE_*} variables as settings, decoded as typesafe-config's {@code
   * ConfigFactory.systemEnvironmentOverrides()} does; always on in Lakeport (no {@code
   * -Dconfig.override_with_env_vars} needed), since the prefix is itself the opt-in.
   */
  static Config environmentOverrides(Map<String, String> environment) {
    Config overrides = ConfigFactory.empty();
    List<ConfigProblem> problems = new ArrayList<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(CONFIG_FORCE)) {
        continue;
      }
      Optional<String> path = path(name.substring(CONFIG_FORCE.length()));
      try {
        if (path.isPresent()) {
          overrides =
              ConfigFactory.parseMap(
                      Map.of(path.get(), variable.getValue()), "environment variable " + name)
                  .withFallback(overrides);
          continue;
        }
      } catch (ConfigException e) {
        // an empty or otherwise invalid path: reported below
      }
      problems.add(
          new ConfigProblem(
              new Origin("environment variable " + name, 0, ""),
              "not the path of a setting",
              "After "
                  + CONFIG_FORCE
                  + " write the path with _ for a dot, __ for a dash and ___ for an underscore,"
                  + " e.g. CONFIG_FORCE_lakeport_api_port=9000."));
    }
    if (!problems.isEmpty()) {
      throw new JobConfigException(problems);
    }
    return overrides;
  }

  /**
   * {@code a_b__c___d} as the path {@code a.b-c_d}; empty for four or more underscores in a row,
   * which typesafe-config refuses too.
   */
  private static Optional<String> path(String variable) {
    StringBuilder path = new StringBuilder();
    int underscores = 0;
    for (char c : (variable + "\0").toCharArray()) {
      if (c == '_') {
        underscores++;
        continue;
      }
      switch (underscores) {
        case 0 -> {}
        case 1 -> path.append('.');
        case 2 -> path.append('-');
        case 3 -> path.append('_');
        default -> {
          return Optional.empty();
        }
      }
      underscores = 0;
      path.append(c);
    }
    return Optional.of(path.substring(0, path.length() - 1));
  }

  private static Config lakeportOnly(Config config) {
    return config.hasPath(ROOT) ? config.withOnlyPath(ROOT) : ConfigFactory.empty();
  }

  private static Config parse(Path path) {
    try {
      return ConfigFactory.parseFile(
          path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new JobConfigException(List.of(Loading.problemOf(e)));
    }
  }

  private static Config resolve(Config stack) {
    try {
      return stack.resolve();
    } catch (ConfigException e) {
      throw new JobConfigException(List.of(Loading.problemOf(e)));
    }
  }

  private static Site read(Config stack, Config resolved) {
    Problems problems = new Problems();
    Section site =
        new Section(
            resolved,
            ROOT,
            problems,
            HOME,
            WAREHOUSE,
            EXPORTS,
            SINK_ROOTS,
            TIME_ZONE,
            LOGS,
            SPARK,
            S3,
            HISTORY,
            SCHEDULER,
            NOTIFICATIONS,
            API,
            RETENTION,
            JOB_DEFAULTS,
            SINK_OPTIONS,
            SCHEDULE_DEFAULTS,
            AIRFLOW,
            LINEAGE,
            SQL);
    Section spark =
        site.section(
            SPARK, MASTER, AcceleratorSettings.ACCELERATOR, AcceleratorSettings.COMET, CONF);
    ZoneId zone = zone(site, TIME_ZONE);
    Map<String, String> conf = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : spark.entries(CONF).entrySet()) {
      conf.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
    }
    S3Settings s3 = S3Reader.read(site, S3);
    HistorySettings history = HistoryReader.read(site, HISTORY);
    AirflowReader.read(site, AIRFLOW); // checked with the rest; read again by airflow()
    LineageReader.read(site, LINEAGE); // and by lineage()
    // checked with the rest; read again by allowsJavaMethods()
    site.section(SQL, ALLOW_JAVA_METHODS).optionalBoolean(ALLOW_JAVA_METHODS);
    Site result =
        new Site(
            stack,
            site.string(HOME),
            site.string(WAREHOUSE),
            site.string(EXPORTS),
            sinkRoots(resolved, site),
            zone,
            localFolder(site, LOGS),
            spark.string(MASTER),
            conf,
            AcceleratorSettings.read(spark),
            s3,
            history,
            SchedulerReader.read(site, SCHEDULER),
            NotificationsReader.site(site, NOTIFICATIONS),
            ApiReader.read(site, API));
    problems.throwIfAny();
    return result;
  }

  /**
   * {@code lakeport.sink-roots}: a list in a file; from {@code -Dlakeport.sink-roots.0=...}
   * properties, numbered keys, which the config library reads as a list too.
   */
  private static List<String> sinkRoots(Config resolved, Section site) {
    String key = ROOT + "." + SINK_ROOTS;
    try {
      List<String> roots = resolved.getStringList(key);
      if (roots.stream().anyMatch(String::isBlank)) {
        site.problem(SINK_ROOTS, "holds an empty folder", "Remove the empty entry.");
      }
      return roots;
    } catch (ConfigException.WrongType e) {
      site.problem(
          SINK_ROOTS,
          "expected a list of folders",
          "Write " + key + " = [\"s3a://bucket/exports\", \"/data/out\"].");
      return List.of();
    }
  }

  /**
   * A local folder: a plain path or a {@code file:} URI (what {@code lakeport.home} may be); a
   * folder in object storage is refused.
   */
  static Path localFolder(Section section, String key) {
    String text = section.string(key);
    try {
      if (text.startsWith("file:")) {
        return Path.of(URI.create(text));
      }
      if (text.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
        section.problem(
            key,
            "\"" + text + "\" is not a local folder",
            "Name a folder on this machine, e.g. /var/log/lakeport.");
        return Path.of(".");
      }
      return Path.of(text);
    } catch (IllegalArgumentException e) {
      section.problem(key, "\"" + text + "\" is not a folder: " + e.getMessage(), "Name a folder.");
      return Path.of(".");
    }
  }

  /** Reads a time-zone id such as {@code UTC} or {@code Europe/Berlin}. */
  static ZoneId zone(Section section, String key) {
    String text = section.string(key);
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      section.problem(
          key,
          "unknown time zone \"" + text + "\"",
          "Use a region id such as UTC, Europe/Berlin or America/New_York.");
      return ZoneId.of("UTC");
    }
  }
}
