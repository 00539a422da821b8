package io.lakeport.cli;

import com.typesafe.config.ConfigUtil;
import io.lakeport.config.ConfigProblem;
import io.lakeport.config.JobConfigException;
import io.lakeport.config.JobLoader;
import io.lakeport.config.JobSpec;
import io.lakeport.config.Site;
import io.lakeport.config.Templates;
import io.lakeport.schedule.Schedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lakeport new-job --name N --source PATH --source-format F --sink-format F ...}: writes a
 * job file from flags, for users who would rather not write HOCON; with {@code --from-template T} a
 * job file that extends {@code jobs/templates/T.conf}. The text is loaded with the real {@link
 * JobLoader} (as {@code lakeport validate} would) before anything is written; a problem is reported
 * against the flag that caused it, exit 2, and nothing is written. An existing file is replaced
 * only with {@code --force}.
 */
@Command(
    name = "new-job",
    sortOptions = false,
    description = "Write a job file (jobs/<name>.conf) from flags, checked before it is written.")
final class NewJobCommand implements Callable<Integer> {
  /** The flag behind each setting of the generated file, longest setting first where they nest. */
  private static final Map<String, String> FLAGS = flags();

  /** File sources; jdbc and table sources need settings new-job does not ask for. */
  private static final List<String> FILE_SOURCES =
      List.of("delta", "parquet", "csv", "json", "avro", "xml");

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  @ParentCommand Lakeport lakeport;
  @Spec CommandSpec spec;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "NAME",
      description = "Job name: lower-case letters, digits, - and _. Also names the file.")
  String name;

  @Option(
      names = "--description",
      paramLabel = "TEXT",
      description = "One line, shown by lakeport jobs.")
  String description;

  @Option(
      names = "--source",
      paramLabel = "PATH",
      description =
          "The source table: a folder or URI (under the warehouse: written as $${lakeport.warehouse}/...).")
  String source;

  @Option(
      names = "--source-format",
      paramLabel = "FORMAT",
      description = "delta, parquet, csv, json, avro or xml.")
  String sourceFormat;

  @Option(
      names = "--source-option",
      paramLabel = "KEY=VALUE",
      description =
          "A reader option, e.g. row-tag=order for xml, delimiter=; for csv (repeatable).")
  Map<String, String> sourceOptions = new LinkedHashMap<>();

  @Option(
      names = "--date-column",
      paramLabel = "COLUMN",
      description =
          "Export only the rows whose COLUMN (date or timestamp) falls in the run's window.")
  String dateColumn;

  @Option(
      names = "--window",
      paramLabel = "WINDOW",
      description = "With --date-column: day (default), week or month.")
  String window;

  @Option(
      names = "--sink-format",
      paramLabel = "FORMAT",
      description = "parquet, csv, json, avro, xml, excel or delta.")
  String sinkFormat;

  @Option(
      names = "--sink",
      paramLabel = "PATH",
      description = "Where the export goes (default: $${lakeport.exports}/<name>).")
  String sink;

  @Option(
      names = "--partition-by",
      split = ",",
      paramLabel = "COLUMN",
      description = "Columns for key=value folders, comma-separated.")
  List<String> partitionBy = new ArrayList<>();

  @Option(
      names = "--every",
      paramLabel = "FREQUENCY",
      description =
          "Runs by itself hourly, daily, weekly or monthly (or see --cron). Without both: by hand only.")
  String every;

  @Option(
      names = "--cron",
      paramLabel = "EXPRESSION",
      description = "Runs by itself on a cron expression: 5 fields (Unix) or 6 to 7 (Quartz).")
  String cron;

  @Option(
      names = "--run-time",
      paramLabel = "HH:mm",
      description = "For daily, weekly and monthly: the local time.")
  String runTime;

  @Option(
      names = "--minute",
      paramLabel = "MINUTE",
      description = "For hourly: the minute past each hour.")
  String minute;

  @Option(
      names = "--day-of-week",
      paramLabel = "DAY",
      description = "For weekly: monday to sunday.")
  String dayOfWeek;

  @Option(
      names = "--day-of-month",
      paramLabel = "DAY",
      description = "For monthly: 1 to 31, or last.")
  String dayOfMonth;

  @Option(
      names = "--time-zone",
      paramLabel = "ZONE",
      description =
          "The job's zone, for its windows and schedule (default: lakeport.time-zone), e.g. Europe/Berlin.")
  String timeZone;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write here instead of jobs/<name>.conf.")
  Path out;

  @Option(names = "--force", description = "Replace the file if it exists.")
  boolean force;

  @Option(
      names = "--from-template",
      paramLabel = "TEMPLATE",
      description =
          "Extend jobs/templates/TEMPLATE.conf (lakeport templates list): the job file holds"
              + " extends, --name and what --description, --source, --source-format, --sink,"
              + " --sink-format and --time-zone say; the template the rest.")
  String fromTemplate;

  @Override
  public Integer call() {
    Path target = out != null ? out : Lakeport.home().resolve("jobs").resolve(name + ".conf");
    if (fromTemplate != null) {
      return fromTemplate(target);
    }
    List<String> missing = new ArrayList<>();
    if (source == null) {
      missing.add("'--source=PATH'");
    }
    if (sourceFormat == null) {
      missing.add("'--source-format=FORMAT'");
    }
    if (sinkFormat == null) {
      missing.add("'--sink-format=FORMAT'");
    }
    if (!missing.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "Missing required option"
              + (missing.size() > 1 ? "s: " : ": ")
              + String.join(", ", missing)
              + " (or --from-template TEMPLATE)");
    }
    refuseWhatTheFlagsCannotSay();
    Site site = lakeport.site();
    if (Files.exists(target) && !force) {
      throw exists(target);
    }
    JobTemplate template = template(site);
    JobSpec job = check(template.render(Optional.empty()), site);
    String text = template.render(Schedule.of(job).map(s -> s.describe() + " (" + s.zone() + ")"));
    check(text, site);
    write(target, text);
    PrintWriter printed = spec.commandLine().getOut();
    printed.printf("wrote %s (job %s)%n", target, job.name());
    printed.printf(
        "next: lakeport run %s%s%s%n",
        target,
        dateColumn != null ? " --param run_date=<date>" : "",
        job.schedule().isPresent() ? "; lakeport schedule list " + target : "");
    printed.flush();
    return 0;
  }

  private static Failures.UserException exists(Path target) {
    return new Failures.UserException(
        target
            + " exists; new-job does not replace a job file. Pass --force to replace"
            + " it, or --out FILE to write another.");
  }

  /**
   * Writes a job file that extends the template, with what the few flags that make sense on top of
   * one say, checked as lakeport validate would (next to where it goes, so that the template is
   * found as it will be).
   */
  private int fromTemplate(Path target) {
    if (!NAME.matcher(name).matches() || !NAME.matcher(fromTemplate).matches()) {
      throw new Failures.UserException(
          (NAME.matcher(name).matches() ? "--from-template" : "--name")
              + ": use lower-case letters, digits, - and _, starting with a letter or digit.");
    }
    Stream.of(
            new Object[] {"--date-column", dateColumn},
            new Object[] {"--window", window},
            new Object[] {"--every", every},
            new Object[] {"--cron", cron},
            new Object[] {"--run-time", runTime},
            new Object[] {"--minute", minute},
            new Object[] {"--day-of-week", dayOfWeek},
            new Object[] {"--day-of-month", dayOfMonth},
            new Object[] {"--partition-by", partitionBy.isEmpty() ? null : partitionBy},
            new Object[] {"--source-option", sourceOptions.isEmpty() ? null : sourceOptions})
        .filter(flag -> flag[1] != null)
        .findFirst()
        .ifPresent(
            flag -> {
              throw new Failures.UserException(
                  flag[0]
                      + " does not go with --from-template: the template says it, or write it in"
                      + " the job file new-job writes.");
            });
    Path templates = Lakeport.home().resolve("jobs").resolve("templates");
    Path template = templates.resolve(fromTemplate + ".conf");
    if (!Files.isRegularFile(template)) {
      String known =
          Templates.in(Lakeport.home().resolve("jobs")).stream()
              .map(Templates.Template::name)
              .collect(Collectors.joining(", "));
      throw new Failures.UserException(
          "--from-template: no template "
              + template
              + (known.isEmpty()
                  ? ". There are no templates in " + templates + " yet."
                  : ". Templates: " + known + " (lakeport templates list)."));
    }
    if (Files.exists(target) && !force) {
      throw exists(target);
    }
    Site site = lakeport.site();
    Path folder = target.toAbsolutePath().normalize().getParent();
    String relative = folder.relativize(template.toAbsolutePath().normalize()).toString();
    StringBuilder text = new StringBuilder();
    text.append("# ")
        .append(Optional.ofNullable(description).orElse("Job " + name))
        .append('\n')
        .append("# Written by lakeport new-job from ")
        .append(relative)
        .append(", which holds the rest (every key: docs/JOBS.md).\n")
        .append("extends = ")
        .append(ConfigUtil.quoteString(relative))
        .append('\n')
        .append("name = ")
        .append(name)
        .append('\n');
    Optional.ofNullable(description)
        .ifPresent(
            d -> text.append("description = ").append(ConfigUtil.quoteString(d)).append('\n'));
    Optional.ofNullable(timeZone)
        .ifPresent(z -> text.append("time-zone = ").append(ConfigUtil.quoteString(z)).append('\n'));
    Optional.ofNullable(sourceFormat)
        .ifPresent(
            f -> text.append("source.format = ").append(ConfigUtil.quoteString(f)).append('\n'));
    Optional.ofNullable(source)
        .ifPresent(
            p ->
                text.append("source.path = ")
                    .append(
                        JobTemplate.path(JobTemplate.locate(p, site.warehouse(), site.exports())))
                    .append('\n'));
    Optional.ofNullable(sinkFormat)
        .ifPresent(
            f -> text.append("sink.format = ").append(ConfigUtil.quoteString(f)).append('\n'));
    Optional.ofNullable(sink)
        .ifPresent(
            p ->
                text.append("sink.path = ")
                    .append(
                        JobTemplate.path(JobTemplate.locate(p, site.warehouse(), site.exports())))
                    .append('\n'));
    JobSpec job = checkBeside(folder, text.toString(), site);
    write(target, text.toString());
    PrintWriter printed = spec.commandLine().getOut();
    printed.printf("wrote %s (job %s, extends %s)%n", target, job.name(), relative);
    printed.printf("next: lakeport validate %s%n", target);
    printed.flush();
    return 0;
  }

  /** Loads the text from a hidden file in {@code folder}, as lakeport validate would. */
  private JobSpec checkBeside(Path folder, String text, Site site) {
    Path file = folder.resolve("." + name + ".new-job-check");
    try {
      Files.createDirectories(folder);
      Files.writeString(file, text);
      return JobFiles.load(new JobLoader(site), file, Map.of(), JobLoader.Mode.VALIDATE);
    } catch (JobConfigException e) {
      throw nothingWritten(e);
    } catch (IOException e) {
      throw new Failures.UserException(
          "Cannot write " + file + " to check the job: " + e.getMessage() + ".");
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a hidden leftover; the next new-job replaces it
      }
    }
  }

  /** Mistakes the flags make before there is a file to check. */
  private void refuseWhatTheFlagsCannotSay() {
    if (!NAME.matcher(name).matches()) {
      throw new Failures.UserException(
          "--name: \""
              + name
              + "\" is not a job name. Use lower-case letters, digits, - and"
              + " _, starting with a letter or digit, e.g. orders-daily.");
    }
    if (!FILE_SOURCES.contains(sourceFormat)) {
      throw new Failures.UserException(
          "--source-format: new-job writes file sources ("
              + String.join(", ", FILE_SOURCES)
              + "), not \""
              + sourceFormat
              + "\". For jdbc and table sources, write the source block by hand (docs/JOBS.md).");
    }
    if (every != null && cron != null) {
      throw new Failures.UserException("--every and --cron are both set. Keep one.");
    }
    boolean timed = every != null || cron != null;
    Stream.of(
            new String[] {"--run-time", runTime},
            new String[] {"--minute", minute},
            new String[] {"--day-of-week", dayOfWeek},
            new String[] {"--day-of-month", dayOfMonth})
        .filter(flag -> flag[1] != null && !timed)
        .findFirst()
        .ifPresent(
            flag -> {
              throw new Failures.UserException(
                  flag[0]
                      + " belongs to a schedule. Add --every (hourly, daily, weekly or"
                      + " monthly), or leave it out for a job run by hand.");
            });
    if (window != null && dateColumn == null) {
      throw new Failures.UserException(
          "--window applies to --date-column, which is not set. Add --date-column COLUMN,"
              + " or leave --window out.");
    }
  }

  private JobTemplate template(Site site) {
    Map<String, String> keys = new LinkedHashMap<>();
    Optional.ofNullable(runTime).ifPresent(v -> keys.put("run-time", v));
    Optional.ofNullable(minute).ifPresent(v -> keys.put("minute", v));
    Optional.ofNullable(dayOfWeek).ifPresent(v -> keys.put("day-of-week", v));
    Optional.ofNullable(dayOfMonth).ifPresent(v -> keys.put("day-of-month", v));
    Optional<JobTemplate.Timing> timing =
        every == null && cron == null
            ? Optional.empty()
            : Optional.of(
                new JobTemplate.Timing(
                    Optional.ofNullable(cron), Optional.ofNullable(every), keys));
    String sinkPath =
        sink != null
            ? JobTemplate.locate(sink, site.warehouse(), site.exports())
            : "${lakeport.exports}/" + name;
    return new JobTemplate(
        name,
        Optional.ofNullable(description),
        Optional.ofNullable(timeZone),
        sourceFormat,
        JobTemplate.locate(source, site.warehouse(), site.exports()),
        sourceOptions,
        Optional.ofNullable(dateColumn),
        Optional.ofNullable(window).orElse("day"),
        sinkFormat,
        sinkPath,
        partitionBy,
        timing);
  }

  /** Loads the text as lakeport validate would; every problem is reported against its flag. */
  private JobSpec check(String text, Site site) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("lakeport-new-job");
      Path file = Files.writeString(dir.resolve(name + ".conf"), text);
      return JobFiles.load(new JobLoader(site), file, Map.of(), JobLoader.Mode.VALIDATE);
    } catch (JobConfigException e) {
      throw nothingWritten(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a temporary file to check the job in", e);
    } finally {
      delete(dir);
    }
  }

  /** Every problem against its flag, and that nothing was written. */
  private static Failures.UserException nothingWritten(JobConfigException e) {
    List<String> lines =
        new ArrayList<>(e.problems().stream().map(NewJobCommand::againstFlag).toList());
    lines.add("Nothing written.");
    return new Failures.UserException(String.join("\n", lines));
  }

  /** {@code --flag (setting): problem. fix}, or the setting alone where no flag made it. */
  private static String againstFlag(ConfigProblem problem) {
    String path = problem.origin().path();
    String where =
        FLAGS.entrySet().stream()
            .filter(flag -> path.equals(flag.getKey()) || path.startsWith(flag.getKey() + "."))
            .findFirst()
            .map(flag -> flag.getValue() + " (" + path + ")")
            .orElse("the job file's " + path);
    String text = where + ": " + problem.problem() + ".";
    return problem.fix().isEmpty() ? text : text + " " + problem.fix();
  }

  private static void write(Path target, String text) {
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(target, text);
    } catch (IOException e) {
      throw new Failures.UserException(
          "Cannot write "
              + target
              + ": "
              + e.getMessage()
              + ". Check the folder, or pass"
              + " --out FILE.");
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary folder; the system cleans it up
    }
  }

  private static Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("source.options", "--source-option");
    flags.put("source.format", "--source-format");
    flags.put("source.path", "--source");
    flags.put("source", "--source");
    flags.put("sink.partition-by", "--partition-by");
    flags.put("sink.format", "--sink-format");
    flags.put("sink.path", "--sink");
    flags.put("schedule.cron", "--cron");
    flags.put("schedule.every", "--every");
    flags.put("schedule.run-time", "--run-time");
    flags.put("schedule.minute", "--minute");
    flags.put("schedule.day-of-week", "--day-of-week");
    flags.put("schedule.day-of-month", "--day-of-month");
    flags.put("schedule.time-zone", "--time-zone");
    flags.put("schedule", "--every or --cron");
    flags.put("plan", "--date-column");
    flags.put("name", "--name");
    flags.put("description", "--description");
    flags.put("time-zone", "--time-zone");
    flags.put("window", "--window");
    return flags;
  }
}
