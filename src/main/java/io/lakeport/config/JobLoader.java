package io.lakeport.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a job file into a {@link JobSpec}: parses the HOCON, adds the {@code --param} values and
 * the built-ins derived from {@code run_date}, resolves substitutions against the site settings,
 * then reads every section, reporting all problems at once as {@link JobConfigException}.
 */
public final class JobLoader {
  static final String NAME = "name";
  static final String DESCRIPTION = "description";
  static final String TIME_ZONE = "time-zone";
  static final String WINDOW = "window";
  static final String PARAMS = "params";
  static final String PARAM_TYPES = "param-types";
  static final String SOURCE = "source";
  static final String SOURCES = "sources";
  static final String PLAN = "plan";
  static final String SINK = "sink";
  static final String QUALITY = "quality";
  static final String SCHEMA_DRIFT = "schema-drift";
  static final String ALERTS = "alerts";
  static final String INCREMENTAL = "incremental";
  static final String SCHEDULE = "schedule";
  static final String NOTIFICATIONS = "notifications";
  static final String RETENTION = "retention";
  static final String AIRFLOW = "airflow";
  private static final String MODE = "mode";
  private static final String COLUMN = "column";
  private static final String LOOKBACK = "lookback";
  private static final String INPUTS = "inputs";

  /** What a job's name may be: it names folders and run ids. */
  static final String JOB_NAME = "[a-z0-9][a-z0-9_-]*";

  public static final String RUN_DATE = "run_date";
  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  private static final String CLI = "--param";

  /** The keys of a job file ({@code extends} is merged away before they are checked). */
  private static final String[] TOP_KEYS = {
    Templates.EXTENDS,
    NAME,
    DESCRIPTION,
    TIME_ZONE,
    WINDOW,
    PARAMS,
    PARAM_TYPES,
    SOURCE,
    SOURCES,
    PLAN,
    SINK,
    QUALITY,
    SCHEMA_DRIFT,
    ALERTS,
    INCREMENTAL,
    SCHEDULE,
    NOTIFICATIONS,
    RETENTION,
    AIRFLOW,
    FanOutReader.KEY
  };

  /** Stands for a param's value while the export's run-independent location is worked out. */
  private static final String PARAM_MARK = "\u0001lakeport-param\u0001";

  /** Whether missing required params are errors (a run) or filled with samples (validation). */
  public enum Mode {
    RUN,
    VALIDATE
  }

  private final Site site;

  public JobLoader(Site site) {
    this.site = requireNonNull(site, "site is null");
  }

  /** The site settings jobs are loaded over. */
  public Site site() {
    return site;
  }

  /**
   * Reads {@code file}; every problem found is reported at once, each with its file and line. Work
   * is bounded: an oversized file, an include loop and substitutions that expand too much are
   * refused before the job is resolved.
   */
  public JobSpec load(Path file, Map<String, String> cliParams, Mode mode) {
    String display = display(file);
    Config jobFile = Templates.merged(file, display, jobsFolder());
    Substitutions.refuseExpansion(
        jobFile, overlay(cliParams).withFallback(jobFile).withFallback(site.stack()));
    Problems problems = new Problems();
    checkTop(jobFile, display, problems);
    Config probe = probe(jobFile);
    Section probeTop = new Section(probe.withFallback(defaults(probe)), "", problems);
    // read again (and reported) with the rest of the job
    Section quiet = new Section(probeTop.root(), "", new Problems());
    ZoneId zone = Site.zone(quiet, TIME_ZONE);
    Window window = quiet.optionalEnum(WINDOW, Window.class).orElse(Window.DAY);
    Map<String, Param> params =
        new Parameters(probeTop, zone, window, problems).resolve(cliParams, mode);

    Config root = resolve(jobFile, params, problems);
    ParamFlow.check(jobFile, display, site.stack(), params, problems);
    JobSpec spec =
        read(
            job(root, jobFile),
            root,
            jobFile.root().keySet(),
            display,
            params,
            problems,
            site.notifications(),
            exportLocation(jobFile, params),
            file);
    SinkRoots roots = new SinkRoots(site);
    if (!refuseReservedSink(spec.sink(), problems)) {
      roots.refuseOutside(spec.sink(), problems);
    }
    roots.refuseOutside(spec.retention(), root, display, problems);
    problems.throwIfAny();
    return spec;
  }

  /** Lakeport's {@code jobs/} folder, where templates may live besides next to a job. */
  private Path jobsFolder() {
    String home = site.home();
    try {
      return (home.startsWith("file:") ? Path.of(URI.create(home)) : Path.of(home)).resolve("jobs");
    } catch (IllegalArgumentException e) {
      // also InvalidPathException: the site's own check of lakeport.home reports it
      return Path.of("jobs");
    }
  }

  /**
   * Refuses a sink path that is a file-system or bucket root, the home folder, the warehouse or the
   * exports root itself: an overwrite there would replace everything under it, and retention would
   * take every folder in it for an export. Returns whether it refused the path.
   */
  private boolean refuseReservedSink(SinkSpec sink, Problems problems) {
    Map<String, String> reserved = new LinkedHashMap<>();
    reserved.put(normalized(site.exports()), "the exports root itself (lakeport.exports)");
    reserved.put(normalized(site.warehouse()), "the warehouse (lakeport.warehouse)");
    reserved.put(normalized(site.home()), "Lakeport's home folder");
    reserved.put(normalized(System.getProperty("user.home")), "the home folder");
    String path = normalized(sink.path());
    String what = isRoot(sink.path()) ? "a file-system root" : reserved.get(path);
    if (what != null && !sink.path().isEmpty()) {
      problems.add(
          sink.origin().child(Endpoints.PATH),
          "sink path \"" + sink.path() + "\" is " + what,
          "Write each export into a folder of its own, e.g. path = ${lakeport.exports}/<job name>.");
      return true;
    }
    return false;
  }

  /** Whether {@code path} names the root of a file system or a bucket. */
  private static boolean isRoot(String path) {
    try {
      URI uri = new URI(path);
      if (uri.getScheme() != null && uri.getScheme().length() > 1) {
        String rest = uri.getPath();
        return rest == null || rest.isEmpty() || rest.chars().allMatch(c -> c == '/');
      }
    } catch (URISyntaxException e) {
      // not a URI: a local path
    }
    return !path.isEmpty() && Path.of(path).normalize().getNameCount() == 0;
  }

  /** A path without a {@code file:} scheme, {@code .} and {@code ..} parts or a trailing slash. */
  private static String normalized(String path) {
    String local = path.replaceFirst("^file:(//)?", "");
    try {
      return local.contains("://")
          ? local.replaceAll("/+$", "")
          : Path.of(local).normalize().toString();
    } catch (InvalidPathException e) {
      return local;
    }
  }

  /** The {@code --param} values as HOCON, before they are checked. */
  private static Config overlay(Map<String, String> cliParams) {
    Map<String, Object> values = new LinkedHashMap<>();
    cliParams.forEach((name, value) -> values.put(ConfigUtil.joinPath(PARAMS, name), value));
    return ConfigFactory.parseMap(values, CLI);
  }

  /** The job over the site settings, resolved as far as it can be without the params. */
  private Config probe(Config jobFile) {
    try {
      return jobFile
          .withFallback(site.stack())
          .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
    } catch (ConfigException e) {
      throw new JobConfigException(List.of(Loading.problemOf(e)));
    }
  }

  /**
   * The job file with the params and the site settings under it, resolved. When that fails, adds
   * every substitution that nothing defines (or else the library's error) and throws all problems.
   */
  private Config resolve(Config jobFile, Map<String, Param> params, Problems problems) {
    Map<String, Object> values = new LinkedHashMap<>();
    params.forEach((name, param) -> values.put(ConfigUtil.joinPath(PARAMS, name), param.value()));
    Config merged =
        ConfigFactory.parseMap(values, CLI).withFallback(jobFile).withFallback(site.stack());
    try {
      return merged.resolve();
    } catch (ConfigException.UnresolvedSubstitution e) {
      List<ConfigProblem> undefined = undefined(merged, jobFile);
      problems.addAll(undefined.isEmpty() ? List.of(Loading.problemOf(e)) : undefined);
    } catch (ConfigException e) {
      problems.addAll(List.of(Loading.problemOf(e)));
    }
    problems.throwIfAny();
    throw new IllegalStateException("unreachable: a resolve problem was added");
  }

  private static List<ConfigProblem> undefined(Config merged, Config jobFile) {
    try {
      Config partial = merged.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
      return Substitutions.undefined(partial, merged, jobFile.root().keySet());
    } catch (ConfigException e) {
      return List.of();
    }
  }

  /**
   * The job's own sections from the resolved {@code root}, over the job defaults; a schedule block
   * over the schedule defaults.
   */
  private static Config job(Config root, Config jobFile) {
    Config job = ConfigFactory.empty();
    for (String key : jobFile.root().keySet()) {
      job = job.withValue(ConfigUtil.joinPath(key), root.root().get(key));
    }
    if (root.hasPath(PARAMS)) {
      job = job.withValue(ConfigUtil.joinPath(PARAMS), root.getValue(PARAMS));
    }
    job = job.withFallback(defaults(root));
    ConfigObject scheduleDefaults =
        root.getObject(ConfigUtil.joinPath(Site.ROOT, Site.SCHEDULE_DEFAULTS));
    // from the job file's own block: merged with a null default, HOCON ignores further fallbacks
    for (String schedule : List.of(SCHEDULE, ConfigUtil.joinPath(RETENTION, SCHEDULE))) {
      if (jobFile.hasPath(schedule)
          && root.getValue(schedule).valueType() == ConfigValueType.OBJECT) {
        job = job.withValue(schedule, root.getObject(schedule).withFallback(scheduleDefaults));
      }
    }
    return job;
  }

  /**
   * The job file's own keys, before anything is resolved: unknown ones, and a missing name, source
   * or sink (at line 1).
   */
  private static void checkTop(Config jobFile, String display, Problems problems) {
    new Section(jobFile, "", problems, TOP_KEYS);
    if (jobFile.root().containsKey(SOURCE) && jobFile.root().containsKey(SOURCES)) {
      problems.add(
          Section.originOf(jobFile.root().get(SOURCES).origin(), SOURCES),
          "a job reads one source or several sources, not both",
          "Keep source { ... } for one input, or move it into sources { <name> { ... } }.");
    }
    for (String section : List.of(NAME, SOURCE, SINK)) {
      boolean written =
          jobFile.root().containsKey(section)
              || (section.equals(SOURCE) && jobFile.root().containsKey(SOURCES));
      if (!written) {
        problems.add(
            new Origin(display, 1, section),
            "missing " + (section.equals(NAME) ? "setting" : "section"),
            section.equals(NAME)
                ? "Add name = <job-name>."
                : "Add " + section + " { format = ..., path = ... }.");
      }
    }
  }

  private static final String ON_ADDED = "on-added";
  private static final String ON_REMOVED = "on-removed";
  private static final String ON_RENAMED = "on-renamed";
  private static final String ON_WIDENED = "on-widened";
  private static final String ON_TYPE_CHANGE = "on-type-change";
  private static final String ON_NULLABILITY = "on-nullability";
  private static final String[] SCHEMA_DRIFT_KEYS = {
    ON_ADDED, ON_REMOVED, ON_RENAMED, ON_WIDENED, ON_TYPE_CHANGE, ON_NULLABILITY
  };

  /** The {@code schema-drift} policy, each key required (reference.conf holds the defaults). */
  private static SchemaDriftSpec schemaDrift(Section drift) {
    SchemaDriftSpec.Action warn = SchemaDriftSpec.Action.WARN;
    return new SchemaDriftSpec(
        drift.enumValue(ON_ADDED, SchemaDriftSpec.Action.class, warn),
        drift.enumValue(ON_REMOVED, SchemaDriftSpec.Action.class, warn),
        drift.enumValue(ON_RENAMED, SchemaDriftSpec.Action.class, warn),
        drift.enumValue(ON_WIDENED, SchemaDriftSpec.Action.class, warn),
        drift.enumValue(ON_TYPE_CHANGE, SchemaDriftSpec.Action.class, warn),
        drift.enumValue(ON_NULLABILITY, SchemaDriftSpec.Action.class, warn),
        drift.origin());
  }

  private static Config defaults(Config root) {
    return root.getConfig(ConfigUtil.joinPath(Site.ROOT, Site.JOB_DEFAULTS));
  }

  /** The site's default options per sink format ({@code lakeport.sink-options}). */
  private static Section sinkOptionDefaults(Config root, Problems problems) {
    return new Section(
        root,
        ConfigUtil.joinPath(Site.ROOT, Site.SINK_OPTIONS),
        problems,
        Section.names(SinkFormat.class).toArray(String[]::new));
  }

  private static JobSpec read(
      Config job,
      Config root,
      Set<String> written,
      String display,
      Map<String, Param> params,
      Problems problems,
      NotificationSettings notifications,
      Optional<String> exportLocation,
      Path file) {
    // unknown and missing top-level keys are reported by checkTop
    Section top = new Section(job, "", problems);
    String name = top.optionalString(NAME).orElse("");
    if (!name.isEmpty() && !name.matches(JOB_NAME)) {
      top.problem(
          NAME,
          "invalid job name \"" + name + "\"",
          "Use lower-case letters, digits, '-' and '_' (it names folders and run ids).");
    }
    PlanSpec plan = new PlanReader(top.section(PLAN, PlanReader.KEYS)).read();
    List<InputSpec> inputs =
        written.contains(SOURCES)
            ? SourcesReader.read(top.section(SOURCES), plan.combine(), top)
            : single(top, written, plan);
    SourceSpec source = inputs.get(0).source();
    ZoneId zone = Site.zone(top, TIME_ZONE);
    return new JobSpec(
        name,
        top.optionalString(DESCRIPTION).orElse(""),
        display,
        zone,
        top.enumValue(WINDOW, Window.class, Window.DAY),
        params,
        source,
        inputs,
        plan,
        Endpoints.sink(
            required(top, written, SINK, Endpoints.SINK_KEYS), sinkOptionDefaults(root, problems)),
        new QualityReader(top.section(QUALITY, QualityReader.KEYS)).read(),
        schemaDrift(top.section(SCHEMA_DRIFT, SCHEMA_DRIFT_KEYS)),
        new AlertsReader(top.section(ALERTS, AlertsReader.KEYS)).read(),
        incremental(top.section(INCREMENTAL, MODE, COLUMN, LOOKBACK, INPUTS), inputs, plan),
        schedule(top, zone),
        NotificationsReader.job(top.section(NOTIFICATIONS), notifications),
        new RetentionReader(
                top.section(RETENTION, RetentionReader.KEYS), minimumDays(root, problems))
            .read(zone),
        new DagReader(top.section(AIRFLOW, DagReader.KEYS)).read(exportLocation),
        fanOut(top, params, file));
  }

  private static Optional<FanOutSpec> fanOut(Section top, Map<String, Param> params, Path file) {
    Optional<FanOutSpec> fanOut = FanOutReader.read(top, params, file);
    if (fanOut.isPresent() && top.has(SCHEDULE)) {
      top.problem(
          FanOutReader.KEY,
          "a job that fans out runs by hand (lakeport run) in this version; the scheduler cannot"
              + " run it yet",
          "Remove the schedule block, or schedule one job per value (extends a shared template).");
    }
    return fanOut;
  }

  /**
   * Where the job's exports live whatever the run: the sink path up to the last folder before the
   * first param in it ({@code .../orders/kpis} for {@code
   * .../orders/kpis/month=${params.window_start}}), the whole path when no param is in it; empty
   * when the params begin it or it does not resolve.
   */
  private Optional<String> exportLocation(Config jobFile, Map<String, Param> params) {
    Map<String, Object> marks = new LinkedHashMap<>();
    params.keySet().forEach(name -> marks.put(ConfigUtil.joinPath(PARAMS, name), PARAM_MARK));
    String path;
    try {
      path =
          ConfigFactory.parseMap(marks, CLI)
              .withFallback(jobFile)
              .withFallback(site.stack())
              .resolve()
              .getString(ConfigUtil.joinPath(SINK, Endpoints.PATH));
    } catch (ConfigException e) {
      return Optional.empty();
    }
    int mark = path.indexOf(PARAM_MARK);
    if (mark < 0) {
      return Optional.of(path).filter(p -> !p.isBlank());
    }
    String before = path.substring(0, mark);
    String folder = before.substring(0, Math.max(before.lastIndexOf('/'), 0));
    return Optional.of(folder)
        .filter(f -> !f.isBlank() && !f.matches("[A-Za-z][A-Za-z0-9+.-]*:/*"));
  }

  /**
   * A section the job must have; when it is missing (reported once, by checkTop), a section whose
   * problems are dropped, so that it reads as placeholders without a problem for each of its keys.
   */
  private static Section required(Section top, Set<String> written, String key, String... keys) {
    return written.contains(key)
        ? top.section(key, keys)
        : new Section(top.root(), key, new Problems(), keys);
  }

  /** The site's floor under keep rules, {@code lakeport.retention.minimum-days}. */
  private static int minimumDays(Config root, Problems problems) {
    Section site =
        new Section(root, ConfigUtil.joinPath(Site.ROOT, RETENTION), problems, "minimum-days");
    long days = site.optionalLong("minimum-days").orElse(0L);
    if (days < 0 || days > 36_500) {
      site.problem(
          "minimum-days",
          "must be a number of days from 0 to 36500, found " + days,
          "Write e.g. lakeport.retention.minimum-days = 7 in the site settings.");
      return 0;
    }
    return (int) days;
  }

  /** The schedule block, if the job has one (without it the job runs by hand only). */
  private static Optional<ScheduleSpec> schedule(Section top, ZoneId jobZone) {
    if (!top.has(SCHEDULE)) {
      return Optional.empty();
    }
    Section schedule = top.section(SCHEDULE, ScheduleReader.KEYS);
    return top.value(SCHEDULE).valueType() == ConfigValueType.OBJECT
        ? Optional.of(new ScheduleReader(schedule, jobZone).read())
        : Optional.empty();
  }

  /** The job's one input, {@code source { ... }}; a plan that combines inputs needs several. */
  private static List<InputSpec> single(Section top, Set<String> written, PlanSpec plan) {
    plan.combine()
        .ifPresent(
            combine ->
                top.problems()
                    .add(
                        combine.origin(),
                        "a "
                            + (combine instanceof PlanSpec.Join ? "join" : "union")
                            + " combines inputs named under sources, and this job has one source",
                        "Write sources { "
                            + String.join(" { ... }, ", combine.inputs())
                            + " { ... } } in place of source { ... }."));
    return List.of(
        new InputSpec(
            InputSpec.SINGLE,
            Endpoints.source(required(top, written, SOURCE, Endpoints.SOURCE_KEYS))));
  }

  private static IncrementalSpec incremental(
      Section section, List<InputSpec> inputs, PlanSpec plan) {
    IncrementalSpec.Mode mode =
        section.enumValue(MODE, IncrementalSpec.Mode.class, IncrementalSpec.Mode.NONE);
    Optional<String> column = section.optionalString(COLUMN);
    Duration lookback = section.optionalDuration(LOOKBACK).orElse(Duration.ZERO);
    if (mode == IncrementalSpec.Mode.WATERMARK && column.isEmpty()) {
      section.problem(
          COLUMN,
          "a watermark needs the column that grows with every change",
          "Add incremental.column = <column>, e.g. updated_at.");
    }
    if (mode != IncrementalSpec.Mode.WATERMARK && (column.isPresent() || !lookback.isZero())) {
      section.problem(
          column.isPresent() ? COLUMN : LOOKBACK,
          "applies only to incremental.mode = watermark",
          "Remove it, or set mode = watermark.");
    }
    List<String> incremented = SourcesReader.incremented(section, INPUTS, inputs, plan.combine());
    if (mode == IncrementalSpec.Mode.CHANGE_FEED) {
      for (InputSpec input : inputs) {
        SourceSpec source = input.source();
        boolean pinned = source.version().isPresent() || source.timestamp().isPresent();
        if (incremented.contains(input.name())
            && (source.format() != SourceFormat.DELTA || pinned)) {
          section.problem(
              MODE,
              "a change feed needs a Delta source read at its latest version"
                  + (inputs.size() > 1 ? ", and input " + input.name() + " is not" : ""),
              "Set "
                  + (inputs.size() > 1 ? "sources." + input.name() : "source")
                  + ".format = delta without version or timestamp, or use mode = watermark.");
        }
      }
    }
    return new IncrementalSpec(mode, column, lookback, incremented, section.origin());
  }

  /** The path as the user should see it: relative to the working directory when inside it. */
  static String display(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }

  /** Declared params, their types, values from the job and the command line, and the built-ins. */
  private static final class Parameters {
    private final Section top;
    private final ZoneId zone;
    private final Window window;
    private final Problems problems;

    Parameters(Section top, ZoneId zone, Window window, Problems problems) {
      this.top = top;
      this.zone = zone;
      this.window = window;
      this.problems = problems;
    }

    Map<String, Param> resolve(Map<String, String> cli, Mode mode) {
      Section declared = top.section(PARAMS);
      Section typesSection = top.section(PARAM_TYPES);
      Map<String, ParamType> types = new LinkedHashMap<>();
      typesSection
          .entries("")
          .keySet()
          .forEach(
              name ->
                  typesSection
                      .parseEnum(
                          name,
                          String.valueOf(typesSection.value(name).unwrapped()),
                          ParamType.class)
                      .ifPresent(type -> types.put(name, type)));
      types.put(RUN_DATE, ParamType.DATE);
      Set<String> names = new TreeSet<>(declared.entries("").keySet());
      names.addAll(types.keySet());
      names.remove(RUN_DATE);

      Map<String, Param> params = new LinkedHashMap<>();
      for (String name : names) {
        value(name, types.getOrDefault(name, ParamType.STRING), declared, cli, mode)
            .ifPresent(p -> params.put(name, p));
      }
      runDate(declared, cli, mode).ifPresent(p -> params.put(RUN_DATE, p));
      reportUnknown(cli, names);
      builtIns(params);
      return params;
    }

    private Optional<Param> value(
        String name, ParamType type, Section declared, Map<String, String> cli, Mode mode) {
      if (cli.containsKey(name)) {
        return parse(name, type, cli.get(name), new Origin(CLI, -1, name));
      }
      if (declared.has(name)) {
        ConfigValue value = declared.value(name);
        String text =
            value.valueType() == ConfigValueType.LIST
                ? String.join(",", declared.stringList(name))
                : String.valueOf(value.unwrapped());
        return parse(name, type, text, declared.origin(name));
      }
      if (mode == Mode.VALIDATE) {
        return Optional.of(new Param(name, type, sample(type), declared.origin(name)));
      }
      problems.add(
          declared.origin(name),
          "required parameter has no value",
          "Pass --param " + name + "=<" + type.example() + ">.");
      return Optional.of(placeholder(name, type, declared.origin(name)));
    }

    private Optional<Param> runDate(Section declared, Map<String, String> cli, Mode mode) {
      boolean requested =
          cli.containsKey(RUN_DATE) || declared.root().hasPathOrNull(declared.full(RUN_DATE));
      if (!requested) {
        return Optional.empty();
      }
      return value(RUN_DATE, ParamType.DATE, declared, cli, mode);
    }

    private Optional<Param> parse(String name, ParamType type, String text, Origin origin) {
      try {
        return Optional.of(new Param(name, type, type.parse(text, zone), origin));
      } catch (IllegalArgumentException e) {
        problems.add(origin, e.getMessage() + ", found \"" + text + "\"", "");
        return Optional.of(placeholder(name, type, origin));
      }
    }

    /**
     * A sample value in place of one that is missing or wrong (and reported), so that the rest of
     * the job resolves and is checked without a follow-on problem for each use of the parameter.
     */
    private Param placeholder(String name, ParamType type, Origin origin) {
      return new Param(name, type, sample(type), origin);
    }

    private void reportUnknown(Map<String, String> cli, Set<String> names) {
      for (String name : cli.keySet()) {
        if (name.equals(WINDOW_START) || name.equals(WINDOW_END)) {
          problems.add(
              new Origin(CLI, -1, name),
              "this parameter is derived from run_date",
              "Pass --param run_date=<date> and set window = day, week or month in the job.");
        } else if (!names.contains(name) && !name.equals(RUN_DATE)) {
          Set<String> valid = new TreeSet<>(names);
          valid.add(RUN_DATE);
          problems.add(
              new Origin(CLI, -1, name),
              "the job declares no such parameter",
              Problems.suggestion(name, valid)
                  + "Declared parameters: "
                  + String.join(", ", valid)
                  + ". Declare new ones in the job's params block.");
        }
      }
    }

    private void builtIns(Map<String, Param> params) {
      Param runDate = params.get(RUN_DATE);
      if (runDate == null) {
        return;
      }
      LocalDate date = LocalDate.parse((String) runDate.value());
      Origin origin = new Origin("built-in", -1, WINDOW);
      params.put(
          WINDOW_START,
          new Param(WINDOW_START, ParamType.DATE, window.start(date).toString(), origin));
      params.put(
          WINDOW_END, new Param(WINDOW_END, ParamType.DATE, window.end(date).toString(), origin));
    }

    private Object sample(ParamType type) {
      return switch (type) {
        case STRING -> "sample";
        case DATE -> LocalDate.now(zone).toString();
        case TIMESTAMP -> LocalDate.now(zone).atStartOfDay(zone).toInstant().toString();
        case INT -> 0;
        case LONG -> 0L;
        case DOUBLE -> 0.0;
        case BOOLEAN -> false;
        case STRING_LIST -> List.of("sample");
        case PATH -> "sample";
      };
    }
  }
}
