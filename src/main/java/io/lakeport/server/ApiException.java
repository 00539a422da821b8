package io.lakeport.server;

/**
 * The API cannot start as the site settings say (its token cannot be read); a mistake in the
 * settings or the environment, which the message names with its fix. Made by {@link ApiErrors}.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ApiException(String message) {
    super(message);
  }
}
