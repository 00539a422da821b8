package io.lakeport.lifecycle;

import io.lakeport.run.ExportRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.filter.ThreadContextMapFilter;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.util.KeyValuePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The log file of one run, {@code <logs>/<job>/<run id>.log}: a file appender added to the root
 * logger while the run goes on, taking only the lines whose MDC names the run ({@code run} in the
 * threads of the run, {@code mdc.run} in Spark's task threads, which get it from the SparkContext's
 * local property), so that runs sharing a process (the scheduler's) each get their own lines. Lines
 * keep their stack traces (the console drops them). Retries of a run append to its file. Closing it
 * removes the appender and closes the file.
 *
 * <p>Best effort: where log4j2 is not the logging backend, or the folder cannot be created, the run
 * has no log file and goes on.
 */
public final class RunLogFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLogFile.class);

  /** The MDC keys of the run: in the run's threads, and in Spark's task threads. */
  static final String RUN_KEY = ExportRunner.RUN_KEY;

  static final String TASK_RUN_KEY = ExportRunner.TASK_MDC + ExportRunner.RUN_KEY;

  /**
   * Lines for the run's file only: {@code conf/log4j2.properties} keeps them off the console, where
   * the command reports the failure itself (once, in words).
   */
  static final Marker FILE_ONLY = MarkerFactory.getMarker("LAKEPORT_FILE_ONLY");

  /** The file's lines: ISO time with offset, level, job and run, logger, message, stack trace. */
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5p [%X{job}%X{mdc.job} %X{run}%X{mdc.run}] %c{1}: %m%n";

  /** What a job name may hold to name a folder: job names are file names without their suffix. */
  private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private static final RunLogFile NONE = new RunLogFile(Optional.empty(), null, null);

  private final Optional<Path> path;
  private final LoggerContext context;
  private final FileAppender appender;

  private RunLogFile(Optional<Path> path, LoggerContext context, FileAppender appender) {
    this.path = path;
    this.context = context;
    this.appender = appender;
  }

  /** The file of run {@code runId} of {@code job} under {@code logs}, written from now on. */
  static RunLogFile open(Path logs, String job, String runId) {
    Optional<Path> place = place(logs, job, runId);
    if (!(LogManager.getContext(false) instanceof LoggerContext context) || place.isEmpty()) {
      return NONE;
    }
    Path file = place.get();
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      LOG.warn("Run {} has no log file: cannot create {}: {}", runId, file.getParent(), e);
      return NONE;
    }
    Configuration config = context.getConfiguration();
    FileAppender appender =
        FileAppender.newBuilder()
            .setName("lakeport-run-" + runId)
            .withFileName(file.toString())
            .withAppend(true)
            .setImmediateFlush(true)
            .setLayout(
                PatternLayout.newBuilder().withConfiguration(config).withPattern(PATTERN).build())
            .setFilter(
                ThreadContextMapFilter.createFilter(
                    new KeyValuePair[] {
                      new KeyValuePair(RUN_KEY, runId), new KeyValuePair(TASK_RUN_KEY, runId)
                    },
                    "or",
                    Filter.Result.NEUTRAL,
                    Filter.Result.DENY))
            .setConfiguration(config)
            .build();
    if (appender == null) {
      return NONE;
    }
    appender.start();
    config.getRootLogger().addAppender(appender, null, null);
    context.updateLoggers();
    return new RunLogFile(Optional.of(file), context, appender);
  }

  /**
   * Where the log file of run {@code runId} of {@code job} goes under {@code logs}; empty for a job
   * name that cannot be a folder (such a run has no log file).
   */
  public static Optional<Path> place(Path logs, String job, String runId) {
    if (!FOLDER.matcher(job).matches() || job.contains("..")) {
      return Optional.empty();
    }
    return Optional.of(logs.resolve(job).resolve(runId + ".log").toAbsolutePath().normalize());
  }

  /** Where the file is; empty when the run has none. */
  Optional<Path> path() {
    return path;
  }

  /** Stops writing the file and closes it. */
  @Override
  public void close() {
    if (appender == null) {
      return;
    }
    Configuration config = context.getConfiguration();
    config.getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }
}
