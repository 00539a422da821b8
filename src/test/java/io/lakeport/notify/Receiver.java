package io.lakeport.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP endpoint on 127.0.0.1 for webhook and Slack tests: records every POST (headers and
 * the exact body) and answers with the statuses it is given, in order, then 204. Public for the
 * tests of the places that send events (the scheduler, lakeport run, retention apply).
 */
public final class Receiver implements AutoCloseable {
  private final HttpServer server;
  private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final List<Integer> statuses;
  private final AtomicInteger answered = new AtomicInteger();

  /** One request as it arrived. */
  public record Request(String path, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private Receiver(List<Integer> statuses) throws IOException {
    this.statuses = List.copyOf(statuses);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            requests.add(
                new Request(
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    in.readAllBytes()));
          }
          int n = answered.getAndIncrement();
          int status = n < this.statuses.size() ? this.statuses.get(n) : 204;
          byte[] body = status == 204 ? new byte[0] : ("status " + status).getBytes();
          exchange.sendResponseHeaders(status, status == 204 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** A receiver answering {@code statuses} to the first requests, then 204. */
  public static Receiver answering(Integer... statuses) throws IOException {
    return new Receiver(List.of(statuses));
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** The next request, waiting at most {@code wait}; fails the test when none came. */
  public Request next(Duration wait) throws InterruptedException {
    Request request = requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (request == null) {
      throw new AssertionError("no request within " + wait);
    }
    return request;
  }

  public int count() {
    return requests.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
