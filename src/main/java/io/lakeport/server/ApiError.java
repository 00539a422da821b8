package io.lakeport.server;

/**
 * A request the API refuses or cannot answer: the HTTP status and a message for the caller,
 * answered as {@code {"error": message, "status": status}}. Made by {@link ApiErrors}.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
