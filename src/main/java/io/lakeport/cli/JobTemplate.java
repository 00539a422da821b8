package io.lakeport.cli;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of a job file written by {@code lakeport new-job}: commented HOCON in the style of the
 * examples in jobs/, with paths under the site's warehouse and exports written as {@code
 * ${lakeport.warehouse}} and {@code ${lakeport.exports}}. Values are quoted where HOCON needs it,
 * so a flag's value can never become HOCON syntax.
 */
record JobTemplate(
    String name,
    Optional<String> description,
    Optional<String> timeZone,
    String sourceFormat,
    String sourcePath,
    Map<String, String> sourceOptions,
    Optional<String> dateColumn,
    String window,
    String sinkFormat,
    String sinkPath,
    List<String> partitionBy,
    Optional<Timing> timing) {

  /** Text HOCON reads as itself without quotes. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  /** A path HOCON reads as itself after a substitution, without quotes. */
  private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9_./-]*");

  private static final String WAREHOUSE = "${lakeport.warehouse}";
  private static final String EXPORTS = "${lakeport.exports}";

  JobTemplate {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(timeZone, "timeZone is null");
    requireNonNull(sourceFormat, "sourceFormat is null");
    requireNonNull(sourcePath, "sourcePath is null");
    sourceOptions = Map.copyOf(sourceOptions);
    requireNonNull(dateColumn, "dateColumn is null");
    requireNonNull(window, "window is null");
    requireNonNull(sinkFormat, "sinkFormat is null");
    requireNonNull(sinkPath, "sinkPath is null");
    partitionBy = List.copyOf(partitionBy);
    requireNonNull(timing, "timing is null");
  }

  /**
   * When the job runs by itself: {@code every} with its keys (name to value, in order), or a cron
   * expression.
   */
  record Timing(Optional<String> cron, Optional<String> every, Map<String, String> keys) {
    Timing {
      requireNonNull(cron, "cron is null");
      requireNonNull(every, "every is null");
      requireNonNull(keys, "keys is null");
    }
  }

  /** The job file; {@code schedule} is the schedule in words, for its comment, once known. */
  String render(Optional<String> schedule) {
    StringBuilder text = new StringBuilder();
    text.append("# ")
        .append(description.orElse("Export of " + sourcePath + " to " + sinkPath))
        .append('\n');
    text.append(
        "# Written by lakeport new-job; edit it freely (every key: docs/JOBS.md), then check it with\n");
    text.append("#   bin/lakeport validate jobs/").append(name).append(".conf\n");
    text.append("#   bin/lakeport run jobs/")
        .append(name)
        .append(".conf")
        .append(dateColumn.isPresent() ? " --param run_date=2026-11-23\n" : "\n");
    text.append("name = ").append(value(name)).append('\n');
    description.ifPresent(
        d -> text.append("description = ").append(ConfigUtil.quoteString(d)).append('\n'));
    timeZone.ifPresent(
        zone -> text.append("time-zone = ").append(ConfigUtil.quoteString(zone)).append('\n'));
    dateColumn.ifPresent(
        column ->
            text.append(
                """

        # Each run exports the rows of one %1$s: the %1$s of run_date (window_start included, window_end
        # excluded, in the job's time zone). The scheduler hands each run its run_date; by hand, pass
        # --param run_date=<date>.
        window = %1$s
        params {
          run_date = null
        }
        """
                    .formatted(window)));
    source(text);
    plan(text);
    sink(text);
    timing.ifPresent(t -> schedule(text, t, schedule));
    return text.toString();
  }

  private void source(StringBuilder text) {
    text.append("\nsource {\n  format = ")
        .append(value(sourceFormat))
        .append("\n  path = ")
        .append(path(sourcePath))
        .append('\n');
    if (sourceFormat.equals("csv")
        && !sourceOptions.containsKey("header")
        && !sourceOptions.containsKey("infer-schema")) {
      text.append(
              "  # The first line names the columns; their types are guessed from the data (set\n")
          .append("  # schema = \"id INT, ...\" to fix them).\n")
          .append("  options { header = true, infer-schema = true }\n");
    } else if (!sourceOptions.isEmpty()) {
      text.append("  options {");
      sourceOptions.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              option ->
                  text.append(' ')
                      .append(value(option.getKey()))
                      .append(" = ")
                      .append(value(option.getValue()))
                      .append(','));
      text.setLength(text.length() - 1);
      text.append(" }\n");
    }
    text.append("}\n");
  }

  private void plan(StringBuilder text) {
    text.append('\n');
    if (dateColumn.isEmpty()) {
      text.append(
          """
          # Filters, derived columns, aggregations and the columns to keep (docs/JOBS.md, "plan"), e.g.
          # plan {
          #   where = "status <> 'cancelled'"
          #   select { columns = [id, status, amount] }
          # }
          """);
      return;
    }
    String column = value(dateColumn.get());
    text.append(
        """
        plan {
          where = { and = [
            { column = %1$s, gte = ${params.window_start} }
            { column = %1$s, lt = ${params.window_end} }
          ] }
          # More filters, derived columns, aggregations, the columns to keep: docs/JOBS.md, "plan".
        }
        """
            .formatted(column));
  }

  private void sink(StringBuilder text) {
    text.append("\nsink {\n  format = ")
        .append(value(sinkFormat))
        .append("\n  path = ")
        .append(path(sinkPath))
        .append('\n');
    if (partitionBy.isEmpty()) {
      text.append("  # Each run replaces the whole export.\n  mode = overwrite\n");
    } else {
      text.append("  partition-by = [")
          .append(String.join(", ", partitionBy.stream().map(JobTemplate::value).toList()))
          .append("]\n  # Each run replaces the partitions it writes and keeps the others.\n")
          .append("  mode = overwrite-partitions\n");
    }
    text.append("}\n");
  }

  private void schedule(StringBuilder text, Timing timing, Optional<String> words) {
    text.append('\n')
        .append(
            words
                .map(
                    w ->
                        "# Runs by itself " + w + "; lakeport schedule list shows the next runs.\n")
                .orElse(""))
        .append("schedule {\n");
    timing
        .cron()
        .ifPresent(
            cron -> text.append("  cron = ").append(ConfigUtil.quoteString(cron)).append('\n'));
    timing.every().ifPresent(every -> text.append("  every = ").append(value(every)).append('\n'));
    timing
        .keys()
        .forEach(
            (key, value) ->
                text.append("  ")
                    .append(key)
                    .append(" = ")
                    .append(key.equals("run-time") ? ConfigUtil.quoteString(value) : value(value))
                    .append('\n'));
    text.append("}\n");
  }

  /**
   * A path as the job file writes it: under the site's warehouse or exports (compared as absolute
   * local paths, or as text for URIs) by its substitution; a local path made absolute; any other as
   * given.
   */
  static String locate(String path, String warehouse, String exports) {
    if (path.startsWith("${")) {
      return path;
    }
    for (Map.Entry<String, String> root :
        Map.of(WAREHOUSE, warehouse, EXPORTS, exports).entrySet()) {
      Optional<String> rest = under(path, root.getValue());
      if (rest.isPresent()) {
        return root.getKey() + rest.get();
      }
    }
    return isUri(path) ? path : Path.of(path).toAbsolutePath().normalize().toString();
  }

  private static Optional<String> under(String path, String root) {
    if (isUri(path) || isUri(root)) {
      String prefix = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
      return path.equals(prefix) || path.startsWith(prefix + "/")
          ? Optional.of(path.substring(prefix.length()))
          : Optional.empty();
    }
    Path local = Path.of(path).toAbsolutePath().normalize();
    Path base = Path.of(root).toAbsolutePath().normalize();
    if (!local.startsWith(base)) {
      return Optional.empty();
    }
    String rest = base.relativize(local).toString();
    return Optional.of(rest.isEmpty() ? "" : "/" + rest);
  }

  private static boolean isUri(String path) {
    return path.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") && !path.startsWith("file:");
  }

  /**
   * A located path as HOCON: a substitution with the rest unquoted where HOCON allows, else quoted.
   */
  static String path(String located) {
    for (String root : List.of(WAREHOUSE, EXPORTS)) {
      if (located.startsWith(root)) {
        String rest = located.substring(root.length());
        return root + (PLAIN_PATH.matcher(rest).matches() ? rest : ConfigUtil.quoteString(rest));
      }
    }
    // a substitution the user wrote stays HOCON; anything else is text
    return located.startsWith("${") ? located : ConfigUtil.quoteString(located);
  }

  private static String value(String text) {
    boolean plain = PLAIN.matcher(text).matches() && !text.toLowerCase(Locale.ROOT).equals("null");
    return plain || text.matches("[0-9]{1,2}") ? text : ConfigUtil.quoteString(text);
  }
}
