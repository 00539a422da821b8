package io.lakeport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Chromium tab driven over the DevTools protocol (a WebSocket on 127.0.0.1, the JDK's client):
 * evaluate script in the page, wait until a condition holds, take a screenshot. Closing it ends the
 * browser.
 */
final class Tab implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ANSWER = Duration.ofSeconds(30);

  private final Process chromium;
  private final WebSocket socket;
  private final Answers answers;
  private final AtomicInteger ids = new AtomicInteger();

  private Tab(Process chromium, WebSocket socket, Answers answers) {
    this.chromium = chromium;
    this.socket = socket;
    this.answers = answers;
  }

  /** The browser's first page target, found through its HTTP endpoint on {@code port}. */
  static Tab attach(Process chromium, int port) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    JsonNode targets = DevTools.get(client, port, "/json/list");
    String page = null;
    for (JsonNode target : targets) {
      if (target.path("type").asText().equals("page")) {
        page = target.path("webSocketDebuggerUrl").asText();
        break;
      }
    }
    if (page == null) {
      throw new IllegalStateException("Chromium shows no page target: " + targets);
    }
    Answers answers = new Answers();
    WebSocket socket =
        client
            .newWebSocketBuilder()
            .buildAsync(URI.create(page), answers)
            .orTimeout(ANSWER.toSeconds(), TimeUnit.SECONDS)
            .join();
    return new Tab(chromium, socket, answers);
  }

  /** Sends a DevTools command and returns its result; an error answer throws. */
  JsonNode send(String method, Map<String, Object> params) throws InterruptedException {
    int id = ids.incrementAndGet();
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("id", id);
    message.put("method", method);
    message.put("params", params);
    CompletableFuture<JsonNode> answer = answers.expect(id);
    try {
      socket.sendText(JSON.writeValueAsString(message), true).join();
      JsonNode reply = answer.get(ANSWER.toSeconds(), TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new IllegalStateException(method + " failed: " + reply.get("error"));
      }
      return reply.path("result");
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method + " got no answer: " + e, e);
    }
  }

  /** The value of a script run in the page (a promise is awaited); a thrown error throws. */
  JsonNode evaluate(String expression) throws InterruptedException {
    JsonNode result =
        send(
            "Runtime.evaluate",
            Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(
          "The script failed: "
              + result.path("exceptionDetails").path("exception").path("description").asText()
              + "\n"
              + expression);
    }
    return result.path("result").path("value");
  }

  /**
   * Waits until {@code condition} is true in the page, checking again until {@code timeout} has
   * passed; then fails with what {@code explain} says of the page.
   */
  void await(String condition, Duration timeout, String explain) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    // false while the page is still loading (no body yet, elements not drawn)
    String check =
        "(() => { try { return Boolean(" + condition + "); } catch (e) { return false; } })()";
    while (!evaluate(check).asBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "Not true after " + timeout + ": " + condition + "; " + evaluate(explain));
      }
      // let the page's fetches run before asking again
      evaluate("new Promise(resolve => setTimeout(resolve, 50))");
    }
  }

  /** Loads another address in this tab. */
  void navigate(URI page) throws InterruptedException {
    send("Page.navigate", Map.of("url", page.toString()));
  }

  /** A PNG of the viewport, written to {@code png}. */
  void screenshot(Path png) throws IOException, InterruptedException {
    JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png"));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    // Chromium's helpers (renderers, crash handler) write into the profile folder too: all of them
    // must be gone before the test's folder is deleted.
    List<ProcessHandle> helpers = chromium.descendants().toList();
    chromium.destroy();
    if (!chromium.waitFor(30, TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
    }
    for (ProcessHandle helper : helpers) {
      helper.destroy();
      try {
        helper.onExit().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        helper.destroyForcibly();
      }
    }
  }

  /** The answers to commands, by id; events are not kept. */
  private static final class Answers implements WebSocket.Listener {
    private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    CompletableFuture<JsonNode> expect(int id) {
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      waiting.put(id, answer);
      return answer;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode message = JSON.readTree(text);
          if (message.has("id")) {
            CompletableFuture<JsonNode> answer = waiting.remove(message.get("id").asInt());
            if (answer != null) {
              answer.complete(message);
            }
          }
        } catch (IOException e) {
          waiting.values().forEach(answer -> answer.completeExceptionally(e));
        }
      }
      socket.request(1);
      return null;
    }
  }
}
