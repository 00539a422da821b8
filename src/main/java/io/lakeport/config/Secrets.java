package io.lakeport.config;

/** Masks secrets that can hide in text users write, such as passwords in JDBC URLs. */
public final class Secrets {
  private Secrets() {}

  /** The text with password-like {@code key=value} parameters replaced by {@code key=***}. */
  public static String mask(String text) {
    return text.replaceAll("(?i)(password|pwd|secret|token)=[^;&\\s]*", "$1=***");
  }
}
