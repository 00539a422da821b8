package io.lakeport.server;

import io.lakeport.config.Suggestions;
import java.util.List;

/** Every error the API answers with, and why the API cannot start: one place for their wording. */
final class ApiErrors {
  static final int BAD_REQUEST = 400;
  static final int UNAUTHORIZED = 401;
  static final int FORBIDDEN = 403;
  static final int NOT_FOUND = 404;
  static final int METHOD_NOT_ALLOWED = 405;
  static final int CONFLICT = 409;
  static final int TOO_LARGE = 413;
  static final int UNAVAILABLE = 503;
  static final int INTERNAL = 500;

  private ApiErrors() {}

  static ApiError badRequest(String message) {
    return new ApiError(BAD_REQUEST, message);
  }

  static ApiError noJob(String job, List<String> known) {
    return new ApiError(
        NOT_FOUND,
        "No job named \""
            + job
            + "\". "
            + Suggestions.didYouMean(job, known)
            + "The scheduler's jobs: "
            + (known.isEmpty() ? "none" : String.join(", ", known))
            + ".");
  }

  static ApiError noSchedule(String job) {
    return new ApiError(
        CONFLICT,
        "Cannot switch job "
            + job
            + " on or off: it has no schedule, and runs only when queued (POST /api/jobs/"
            + job
            + "/runs). Add a schedule block to its job file to schedule it.");
  }

  static ApiError noRun(String runId) {
    return new ApiError(
        NOT_FOUND, "No run " + runId + " in the run history. See GET /api/runs for the run ids.");
  }

  static ApiError noManifest(String runId, String why) {
    return new ApiError(NOT_FOUND, "Run " + runId + " has no manifest to show: " + why + ".");
  }

  static ApiError noLog(String runId, String why) {
    return new ApiError(NOT_FOUND, "Run " + runId + " has no log file to show: " + why + ".");
  }

  static ApiError notFound(String path) {
    return new ApiError(
        NOT_FOUND,
        "Nothing at "
            + path
            + ". The API is under /api/jobs and /api/runs; see also"
            + " /metrics and /health.");
  }

  static ApiError methodNotAllowed(String method, String path, String allowed) {
    return new ApiError(
        METHOD_NOT_ALLOWED, method + " is not allowed on " + path + ". Use " + allowed + ".");
  }

  static ApiError missingToken() {
    return new ApiError(
        UNAUTHORIZED,
        "This call needs the API's bearer token: send the header"
            + " \"Authorization: Bearer <token>\".");
  }

  static ApiError wrongToken() {
    return new ApiError(
        FORBIDDEN,
        "The bearer token is not the API's token (lakeport.api.token-env or token-file).");
  }

  static ApiError noTokenConfigured() {
    return new ApiError(
        FORBIDDEN,
        "Calls that change anything are refused: the API has no token. Set"
            + " lakeport.api.token-env or lakeport.api.token-file in the site settings and restart the scheduler.");
  }

  static ApiError tooLarge(int limit) {
    return new ApiError(TOO_LARGE, "The request body is larger than " + limit + " bytes.");
  }

  static ApiError conflict(String message) {
    return new ApiError(CONFLICT, message);
  }

  static ApiError historyUnavailable(String reason) {
    return new ApiError(UNAVAILABLE, reason);
  }

  static ApiError internal() {
    return new ApiError(
        INTERNAL, "The API failed unexpectedly; this is a bug. The scheduler's log has the trace.");
  }

  static ApiException unsetTokenVariable(String variable) {
    return new ApiException(
        "Cannot start the API: the environment variable "
            + variable
            + " (lakeport.api.token-env) is not set. Export it, or use lakeport.api.token-file.");
  }

  static ApiException unreadableTokenFile(String file, String reason) {
    return new ApiException(
        "Cannot start the API: cannot read the token file "
            + file
            + " (lakeport.api.token-file): "
            + reason
            + ". Create it, readable by the scheduler, or use lakeport.api.token-env.");
  }

  static ApiException emptyToken(String source) {
    return new ApiException(
        "Cannot start the API: the token from " + source + " is empty. Put the token there.");
  }
}
