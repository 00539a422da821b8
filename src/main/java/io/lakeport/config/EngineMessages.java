package io.lakeport.config;

/**
 * Spark's error messages made fit for a one-line problem report: the first non-blank line, without
 * the SQLSTATE suffix and the query plan that follow, with backticks shown as quotes.
 */
public final class EngineMessages {
  private EngineMessages() {}

  public static String summary(String message) {
    String first =
        String.valueOf(message)
            .lines()
            .map(String::trim)
            .filter(l -> !l.isEmpty())
            .findFirst()
            .orElse("");
    int sqlState = first.indexOf(" SQLSTATE:");
    String text = sqlState > 0 ? first.substring(0, sqlState) : first;
    text = text.endsWith(".") || text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    return text.replace('`', '"');
  }
}
