package io.lakeport.cli;

import org.apache.logging.log4j.core.config.Configurator;

/**
 * The console's log lines: {@code conf/log4j2.properties} writes them to stderr without stack
 * traces (appender {@code console}), since a failure is reported once, in words, by the command;
 * {@code --verbose} switches the root logger to the appender that shows them ({@code
 * console-verbose}). A log configuration without that appender (spark-submit's) is left as it is.
 */
final class ConsoleLog {
  /**
   * The system property {@code conf/log4j2.properties} reads to choose the console appender; not
   * under {@code lakeport.}, which the site settings read from the system properties.
   */
  static final String APPENDER_PROPERTY = "io.lakeport.console";

  static final String VERBOSE_APPENDER = "console-verbose";

  private ConsoleLog() {}

  /** Lets stack traces into the console log from now on: reloads the log configuration. */
  static void showTraces() {
    if (!VERBOSE_APPENDER.equals(System.getProperty(APPENDER_PROPERTY))) {
      System.setProperty(APPENDER_PROPERTY, VERBOSE_APPENDER);
      Configurator.reconfigure();
    }
  }
}
