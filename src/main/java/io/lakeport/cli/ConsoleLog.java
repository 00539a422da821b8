package io.lakeport.cli;

import org.apache.logging.log4j.core.config.Configurator;

/**
 * The console's log lines: {@code conf/log4j2.properties} writes Lakeport's INFO lines and the
 * warnings of everything else to stderr without stack traces (appender {@code console}), since a
 * failure is reported once, in words, by the command; {@code --verbose} lets Spark's and Hadoop's
 * INFO lines back in and switches the root logger to the appender that shows traces ({@code
 * console-verbose}). A log configuration without that appender (Spark's default) is left as it is.
 */
final class ConsoleLog {
  /**
   * The system property {@code conf/log4j2.properties} reads to choose the console appender; not
   * under {@code lakeport.}, which the site settings read from the system properties.
   */
  static final String APPENDER_PROPERTY = "io.lakeport.console";

  static final String VERBOSE_APPENDER = "console-verbose";

  /** The system property {@code conf/log4j2.properties} reads for the root logger's level. */
  static final String LEVEL_PROPERTY = "io.lakeport.level";

  static final String VERBOSE_LEVEL = "info";

  private ConsoleLog() {}

  /**
   * Lets Spark's INFO lines and stack traces into the console log from now on: reloads the log
   * configuration.
   */
  static void verbose() {
    if (!VERBOSE_APPENDER.equals(System.getProperty(APPENDER_PROPERTY))
        || !VERBOSE_LEVEL.equals(System.getProperty(LEVEL_PROPERTY))) {
      System.setProperty(APPENDER_PROPERTY, VERBOSE_APPENDER);
      System.setProperty(LEVEL_PROPERTY, VERBOSE_LEVEL);
      Configurator.reconfigure();
    }
  }
}
