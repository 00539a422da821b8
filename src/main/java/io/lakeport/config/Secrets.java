package io.lakeport.config;

import java.util.regex.Pattern;

/** Masks secrets that can hide in text users write, such as passwords in JDBC URLs. */
public final class Secrets {
  /** What a masked param value becomes. */
  public static final String MASK = "****";

  /** Param names that say they hold a secret. */
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i)(password|passwd|secret|token|credential|api_?key|private_?key)");

  /** The password of a URL's user info: {@code https://user:password@host}. */
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(://[^/:@\\s]+):[^/@\\s]*@");

  private Secrets() {}

  /** The text with password-like {@code key=value} parameters replaced by {@code key=***}. */
  public static String mask(String text) {
    return text.replaceAll("(?i)(password|pwd|secret|token)=[^;&\\s]*", "$1=***");
  }

  /**
   * As {@link #mask}, and the password of a URL's user info too ({@code https://user:***@host}).
   */
  public static String maskUrl(String text) {
    return USER_INFO_PASSWORD.matcher(mask(text)).replaceAll("$1:***@");
  }

  /** Whether a param's name says it holds a secret ({@code api_key}, {@code db_password}, ...). */
  public static boolean isSecretName(String name) {
    return SECRET_NAME.matcher(name).find();
  }
}
