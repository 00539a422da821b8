package io.lakeport.cli;

import io.lakeport.config.JobLoader;
import io.lakeport.config.Site;
import io.lakeport.failure.ExitCode;
import io.lakeport.history.HistoryStore;
import io.lakeport.run.Versions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code lakeport} command. Exit codes: 0 ok, 2 user or config error, 3 external failure, 4 an
 * export that differs from its manifest ({@code verify}), 5 a schema change the job's {@code
 * schema-drift} policy refuses, 1 bug.
 */
@Command(
    name = "lakeport",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = Lakeport.Version.class,
    description = "Parameterised Spark export jobs: one HOCON file per job in jobs/.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      ExplainCommand.class,
      PreviewCommand.class,
      JobsCommand.class,
      RunNowCommand.class,
      ScheduleCommand.class,
      VerifyCommand.class,
      SchemaCommand.class,
      HistoryCommand.class,
      StatusCommand.class,
      StatsCommand.class,
      DemoCommand.class,
      SchedulerCommand.class,
      CancelCommand.class,
      NewJobCommand.class,
      TemplatesCommand.class,
      ShareCommand.class,
      AirflowCommand.class,
      RetentionCommand.class,
      HelpCommand.class
    })
public final class Lakeport {
  @Option(
      names = "--site-conf",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Site settings (default: -Dconfig.file, else $LAKEPORT_HOME/conf/application.conf, else"
              + " conf/application.conf).")
  Path siteConf;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description =
          "Show Spark's and Hadoop's INFO log lines, and on a failure its whole stack trace (by"
              + " default the console shows progress and results, and a failure is one line: what"
              + " failed, where, and why; each run's log file keeps the traces).")
  boolean verbose;

  private final Clock clock;

  private Lakeport(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = execute(args);
    } catch (Throwable e) {
      // an Error (out of memory, a missing class) passes picocli's handler; without the exit below,
      // Spark's threads would keep the JVM alive
      PrintWriter err = new PrintWriter(System.err, true);
      Failures.print(err, e, ExitCode.BUG.code(), Failures.Detail.BRIEF);
      code = ExitCode.BUG.code();
    }
    System.exit(code);
  }

  /** Runs the command line and returns its exit code, without exiting (for tests and notebooks). */
  public static int execute(String... args) {
    return commandLine(Clock.systemUTC()).execute(args);
  }

  /** As {@link #execute(String...)}, printing to the given writers. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return execute(Clock.systemUTC(), out, err, args);
  }

  /**
   * As {@link #execute(PrintWriter, PrintWriter, String...)}, with the time taken from {@code
   * clock}.
   */
  public static int execute(Clock clock, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(clock).setOut(out).setErr(err).execute(args);
  }

  static CommandLine commandLine(Clock clock) {
    return new CommandLine(new Lakeport(clock))
        .setExecutionExceptionHandler(new Failures())
        .setExecutionStrategy(Lakeport::executeParsed);
  }

  /** Runs the parsed command, after {@code --verbose} has let stack traces into the log. */
  private static int executeParsed(ParseResult parsed) {
    if (parsed.commandSpec().userObject() instanceof Lakeport lakeport && lakeport.verbose) {
      ConsoleLog.verbose();
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /** How much of a failure the command prints: {@code --verbose} adds its stack trace. */
  Failures.Detail detail() {
    return verbose ? Failures.Detail.VERBOSE : Failures.Detail.BRIEF;
  }

  /** Now, for commands that show times (tests pin it). */
  Clock clock() {
    return clock;
  }

  Site site() {
    return Site.load(Optional.ofNullable(siteConf).or(Lakeport::defaultSiteConf));
  }

  JobLoader loader() {
    return new JobLoader(site());
  }

  /** The run history of the site settings, opened (and its tables created or upgraded). */
  HistoryStore history() {
    return HistoryStore.open(site().history(), Clock.systemUTC());
  }

  /** The home folder: $LAKEPORT_HOME, else the working directory. */
  static Path home() {
    String home = System.getenv("LAKEPORT_HOME");
    return Path.of(home == null || home.isEmpty() ? "." : home);
  }

  /** {@code -Dconfig.file} when set, else {@code conf/application.conf} in the home folder. */
  static Optional<Path> defaultSiteConf() {
    return Site.settingsFile(home().resolve("conf").resolve("application.conf"));
  }

  /** Reports Lakeport's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"lakeport " + Versions.lakeport()};
    }
  }
}
