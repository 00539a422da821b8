package io.lakeport.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameters are values, never syntax. Finds where each text parameter flows in a job, by resolving
 * the job once more with a marker in place of each such parameter's value, and refuses:
 *
 * <ul>
 *   <li>a parameter in a path ({@code source.path}, {@code sink.path}, a file name, a table name,
 *       an archive location) whose value is not one safe path segment (no {@code /}, {@code \},
 *       {@code ..}, control characters); a {@code path}-typed parameter may hold several segments,
 *       never {@code ..};
 *   <li>a text parameter spliced into SQL (a {@code where} string, a derived column, a JDBC {@code
 *       query}, {@code replace-where}), where a quote in its value would change the statement.
 * </ul>
 *
 * Dates, timestamps, numbers and booleans are checked by their type when they are parsed and may go
 * anywhere.
 */
final class ParamFlow {
  private static final Pattern SAFE_SEGMENT =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._=+-]{0,254}");
  private static final Pattern MARKER = Pattern.compile("\u0001([^\u0001\u0002]+)\u0002");
  private static final Set<ParamType> TEXT =
      Set.of(ParamType.STRING, ParamType.STRING_LIST, ParamType.PATH);

  /** The job sections a parameter can flow into, walked for markers. */
  private static final List<String> SECTIONS =
      List.of("source", "plan", "sink", "quality", "incremental", "retention");

  private ParamFlow() {}

  /** Whether {@code segment} can be one segment of a path: no separators, no {@code ..}. */
  static boolean isSafeSegment(String segment) {
    return SAFE_SEGMENT.matcher(segment).matches() && !segment.contains("..");
  }

  /**
   * Adds a problem for every text parameter of {@code params} that flows where its value could
   * change a path or a statement: {@code jobFile} over {@code site}, as {@link JobLoader} resolves
   * it.
   */
  static void check(
      Config jobFile, String display, Config site, Map<String, Param> params, Problems problems) {
    Map<String, Object> values = new LinkedHashMap<>();
    boolean traced = false;
    for (Param param : params.values()) {
      Object value = param.value();
      if (TEXT.contains(param.type())) {
        String marker = "\u0001" + param.name() + "\u0002";
        value = param.type() == ParamType.STRING_LIST ? List.of(marker) : marker;
        traced = true;
      }
      values.put(ConfigUtil.joinPath(JobLoader.PARAMS, param.name()), value);
    }
    if (!traced) {
      return;
    }
    Config resolved;
    try {
      resolved =
          ConfigFactory.parseMap(values, "params")
              .withFallback(jobFile)
              .withFallback(site)
              .resolve();
    } catch (ConfigException e) {
      // the job resolves with the real values (checked before): a marker it cannot take is no flow
      return;
    }
    for (String section : SECTIONS) {
      if (resolved.hasPath(section)) {
        new Walk(jobFile, display, params, problems)
            .walk(resolved.getValue(section), List.of(section));
      }
    }
  }

  /** One walk of a resolved job, with what the problems need: the job file and the params. */
  private record Walk(
      Config jobFile, String display, Map<String, Param> params, Problems problems) {
    void walk(ConfigValue value, List<String> path) {
      if (value instanceof ConfigObject object) {
        object.forEach((key, child) -> walk(child, append(path, key)));
      } else if (value instanceof ConfigList list) {
        // list items take their list's key: and/or lists of a where tree are SQL like the where
        list.forEach(item -> walk(item, path));
      } else if (value.valueType() == ConfigValueType.STRING) {
        check((String) value.unwrapped(), value, path);
      }
    }

    private void check(String text, ConfigValue value, List<String> path) {
      Matcher markers = MARKER.matcher(text);
      while (markers.find()) {
        Param param = params.get(markers.group(1));
        if (param == null) {
          continue;
        }
        String key = String.join(".", path);
        Origin origin = origin(value, path, key);
        switch (contextOf(path)) {
          case PATH -> checkPath(param, key, origin, problems);
          case SQL -> problems.add(origin, spliced(param), fixOf(param, path));
          case VALUE -> {}
        }
      }
    }

    /**
     * Where the job file sets the key: the resolved value's own line when it is the job file's,
     * else (a value merged from the site settings and the params) the line of the key in the job
     * file.
     */
    private Origin origin(ConfigValue value, List<String> path, String key) {
      Origin resolved = Section.originOf(value.origin(), key);
      if (resolved.file().equals(display)) {
        return resolved;
      }
      ConfigValue written = jobFile.root();
      for (String part : path) {
        if (!(written instanceof ConfigObject object) || !object.containsKey(part)) {
          return new Origin(display, -1, key);
        }
        written = object.get(part);
      }
      return Section.originOf(written.origin(), key);
    }
  }

  private static String spliced(Param param) {
    return "the "
        + typeName(param)
        + " parameter "
        + param.name()
        + " is spliced into SQL: a quote in its value would change the statement";
  }

  private static String fixOf(Param param, List<String> path) {
    String bound = ":" + param.name();
    String section = path.isEmpty() ? "" : path.get(0);
    if (section.equals("source")) {
      return "Filter in plan.where instead, e.g. where = \"<column> = "
          + bound
          + "\" (Spark passes it to the database as a value), or declare it with a type that"
          + " cannot hold a quote (int, date, ...) in param-types.";
    }
    return "Bind it as a value instead: write "
        + bound
        + " in the SQL, e.g. \"<column> = "
        + bound
        + "\" (Lakeport passes it as a quoted literal).";
  }

  private static void checkPath(Param param, String key, Origin origin, Problems problems) {
    List<String> values = new ArrayList<>();
    if (param.value() instanceof List<?> list) {
      list.forEach(item -> values.add(String.valueOf(item)));
    } else {
      values.add(String.valueOf(param.value()));
    }
    for (String value : values) {
      boolean safe =
          param.type() == ParamType.PATH
              ? List.of(value.split("/", -1)).stream().allMatch(ParamFlow::isSafeSegment)
              : isSafeSegment(value);
      if (!safe) {
        problems.add(
            origin,
            "parameter "
                + param.name()
                + " = \""
                + printable(value)
                + "\" cannot be part of a path: a path parameter is one name of letters, digits,"
                + " '.', '_', '-', '=' and '+' (no '/', '\\', '..' or control characters)",
            "Pass a plain name such as \"eu-west\"; to let it hold several folders, declare it"
                + " path in param-types (still no '..').");
      }
    }
  }

  private enum Context {
    PATH,
    SQL,
    VALUE
  }

  private static Context contextOf(List<String> path) {
    String first = path.get(0);
    String last = path.get(path.size() - 1);
    return switch (first) {
      case "source" ->
          switch (last) {
            case "path", "table", "password-file" -> Context.PATH;
            case "query" -> Context.SQL;
            default -> Context.VALUE;
          };
      case "sink" ->
          switch (last) {
            case "path", "file-name" -> Context.PATH;
            case "replace-where" -> Context.SQL;
            default -> Context.VALUE;
          };
      case "retention" ->
          path.size() == 3 && path.get(1).equals("archive") && last.equals("location")
              ? Context.PATH
              : Context.VALUE;
      case "plan" -> {
        if (path.size() >= 2 && path.get(1).equals("derive")) {
          yield Context.SQL;
        }
        boolean where = path.size() >= 2 && path.get(1).equals("where");
        yield where && Set.of("where", "sql", "not", "and", "or").contains(last)
            ? Context.SQL
            : Context.VALUE;
      }
      default -> Context.VALUE;
    };
  }

  private static String typeName(Param param) {
    return param.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String printable(String value) {
    StringBuilder shown = new StringBuilder();
    value
        .codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                shown.append(String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                shown.appendCodePoint(c);
              }
            });
    return shown.toString();
  }

  private static List<String> append(List<String> path, String key) {
    List<String> longer = new ArrayList<>(path);
    longer.add(key);
    return longer;
  }
}
