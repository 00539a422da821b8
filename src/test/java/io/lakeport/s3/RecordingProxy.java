package io.lakeport.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of a real server, for tests that must see what a client sent on
 * the wire: every byte is forwarded unchanged in both directions, so a request signed for the
 * relay's address (AWS SigV4 signs the Host header) reaches the server exactly as signed, and the
 * head of every HTTP/1.1 request from the client (request line and headers) is recorded, before the
 * server gets it.
 *
 * <p>Requests are told apart as HTTP/1.1 does: after each head comes a body of {@code
 * Content-Length} bytes, a {@code Transfer-Encoding: chunked} body, or no body. An {@code
 * aws-chunked} body (SigV4 streaming) carries the Content-Length of its encoding, so it is relayed
 * the same way. Keep-alive connections carrying many requests are followed like that.
 *
 * <p>Limits: requests only (responses are relayed, not read); no TLS, HTTP/2 or protocol upgrades.
 * A client may withhold a body it announced with {@code Expect: 100-continue} once the server gave
 * a final answer; servers then close the connection (Jetty, s3proxy's server, does), but on one
 * that kept it open the relay would take the next request's head for body bytes and not record it.
 * Bytes that are not HTTP/1.1 are relayed and listed in {@link #problems()}, not guessed at, so a
 * test can insist there are none. At most {@value #MAX_CONNECTIONS} connections are relayed at
 * once; more are closed on arrival and counted in {@link #refused()} (clients retry them).
 */
public final class RecordingProxy implements AutoCloseable {
  static final int MAX_CONNECTIONS = 32;
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final ServerSocket listener;
  private final int target;
  private final ExecutorService threads;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Request> requests = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();

  /** One recorded request head: header names in lower case, values in the order sent. */
  public record Request(
      int connection, String method, String target, Map<String, List<String>> headers) {
    public Request {
      headers = Map.copyOf(headers);
    }

    /** The value of a header sent once; empty when absent. */
    public Optional<String> header(String name) {
      List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      if (values.size() > 1) {
        throw new IllegalStateException(name + " sent " + values.size() + " times: " + this);
      }
      return values.stream().findFirst();
    }

    /**
     * The target's path, percent-decoded and without the query, e.g. {@code /bucket/part=0/file}.
     */
    public String path() {
      return URI.create(target).getPath();
    }

    /**
     * Whether the query has a parameter of this name, with or without a value ({@code ?uploads}).
     */
    public boolean hasParameter(String name) {
      int query = target.indexOf('?');
      if (query < 0) {
        return false;
      }
      for (String parameter : target.substring(query + 1).split("&")) {
        if (parameter.equals(name) || parameter.startsWith(name + "=")) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return method + " " + target;
    }
  }

  private RecordingProxy(ServerSocket listener, int target) {
    this.listener = listener;
    this.target = target;
    // two threads per connection (one per direction) and the acceptor; none idle for long
    this.threads =
        new ThreadPoolExecutor(
            1,
            2 * MAX_CONNECTIONS + 1,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, "recording-proxy");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts relaying a new port on 127.0.0.1 to {@code targetPort} on 127.0.0.1. */
  public static RecordingProxy start(int targetPort) throws IOException {
    RecordingProxy proxy =
        new RecordingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
    proxy.threads.execute(proxy::accept);
    return proxy;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  /** The request heads recorded so far, in the order each connection sent them. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** What could not be parsed as HTTP/1.1 requests (the bytes were relayed all the same). */
  public List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  /** Connections closed unrelayed because {@value #MAX_CONNECTIONS} were open already. */
  public int refused() {
    return refused.get();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    listener.close();
    for (Socket socket : open) {
      socket.close();
    }
    threads.shutdownNow();
    if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the relay's threads did not stop");
    }
  }

  private void accept() {
    int connections = 0;
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (active.incrementAndGet() > MAX_CONNECTIONS) {
          active.decrementAndGet();
          refused.incrementAndGet();
          client.close();
          continue;
        }
        open.add(client);
        int id = ++connections;
        threads.execute(() -> relay(client, id));
      } catch (IOException | RejectedExecutionException e) {
        // the relay is closing
      }
    }
  }

  /** Relays one connection, recording the client's requests, until both sides are done. */
  private void relay(Socket client, int connection) {
    try (client;
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target)) {
      open.add(server);
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      Future<?> answers = threads.submit(() -> answer(server, client));
      record(
          new BufferedInputStream(client.getInputStream()), server.getOutputStream(), connection);
      server.shutdownOutput();
      answers.get();
    } catch (IOException | ExecutionException e) {
      // the client or the server closed the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(client);
      active.decrementAndGet();
    }
  }

  /** Copies the server's bytes back to the client, then half-closes the client's side. */
  private void answer(Socket server, Socket client) {
    try {
      server.getInputStream().transferTo(client.getOutputStream());
      client.shutdownOutput();
    } catch (IOException e) {
      // either side closed the connection
    } finally {
      open.remove(server);
    }
  }

  /**
   * Relays the client's requests one after the other until it closes the connection. Each head is
   * recorded before it is forwarded, so a request is in requests() before the server sees it (and
   * so before any answer to it). After bytes that are not HTTP/1.1 it says so in problems() and
   * only relays.
   */
  private void record(InputStream in, OutputStream out, int connection) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try {
      for (List<String> head = head(in, raw); head != null; head = head(in, raw)) {
        Request request = request(connection, head);
        synchronized (requests) {
          requests.add(request);
        }
        raw.writeTo(out);
        raw.reset();
        relayBody(in, out, request);
      }
      raw.writeTo(out);
    } catch (NotHttp e) {
      synchronized (problems) {
        problems.add("connection " + connection + ": " + e.getMessage());
      }
      raw.writeTo(out);
      in.transferTo(out);
    }
  }

  private static Request request(int connection, List<String> head) throws NotHttp {
    String[] line = head.get(0).split(" ");
    if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
      throw new NotHttp("not an HTTP/1.x request line: " + head.get(0));
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String field : head.subList(1, head.size())) {
      int colon = field.indexOf(':');
      if (colon <= 0) {
        throw new NotHttp("not a header field after " + head.get(0) + ": " + field);
      }
      headers
          .computeIfAbsent(
              field.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(field.substring(colon + 1).trim());
    }
    return new Request(connection, line[0], line[1], headers);
  }

  /**
   * Relays a request's body, if it has one; a client that closes the connection inside one just
   * ends it.
   */
  private static void relayBody(InputStream in, OutputStream out, Request request)
      throws IOException {
    if (request.headers().getOrDefault("transfer-encoding", List.of()).stream()
        .anyMatch(v -> v.contains("chunked"))) {
      for (long size = chunkSize(in, out, request); size > 0; size = chunkSize(in, out, request)) {
        copy(in, out, size);
        String end = line(in, out);
        if (end != null && !end.isEmpty()) {
          throw new NotHttp("a chunk of " + request + " does not end with CRLF");
        }
      }
      for (String trailer = line(in, out);
          trailer != null && !trailer.isEmpty();
          trailer = line(in, out)) {
        // trailer fields are relayed, not recorded
      }
    } else {
      List<String> length = request.headers().getOrDefault("content-length", List.of());
      if (!length.isEmpty()) {
        copy(in, out, number(length.get(0), 10, request));
      }
    }
  }

  private static long chunkSize(InputStream in, OutputStream out, Request request)
      throws IOException {
    String line = line(in, out);
    if (line == null) {
      return 0;
    }
    int extension = line.indexOf(';');
    return number((extension < 0 ? line : line.substring(0, extension)).trim(), 16, request);
  }

  private static long number(String text, int radix, Request request) throws NotHttp {
    try {
      return Long.parseLong(text, radix);
    } catch (NumberFormatException e) {
      throw new NotHttp("not a body length in " + request + ": " + text);
    }
  }

  private static void copy(InputStream in, OutputStream out, long count) throws IOException {
    byte[] buffer = new byte[8192];
    for (long left = count; left > 0; ) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        return;
      }
      out.write(buffer, 0, read);
      left -= read;
    }
  }

  /**
   * The lines of the next request head, its bytes kept in {@code raw}; null when the client closed
   * the connection before one.
   */
  private static List<String> head(InputStream in, ByteArrayOutputStream raw) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = line(in, raw); line != null; line = line(in, raw)) {
      if (line.isEmpty() && lines.isEmpty()) {
        continue; // RFC 9112: a server should ignore empty lines before a request line
      }
      if (line.isEmpty()) {
        return lines;
      }
      if (raw.size() > MAX_HEAD_BYTES) {
        throw new NotHttp("a request head over " + MAX_HEAD_BYTES + " bytes");
      }
      lines.add(line);
    }
    if (!lines.isEmpty()) {
      throw new NotHttp("connection closed inside the request head " + lines.get(0));
    }
    return null;
  }

  /**
   * One LF-terminated line without its CR LF (ISO-8859-1, as HTTP heads are), its bytes written to
   * {@code copy}; null at the end of the stream.
   */
  private static String line(InputStream in, OutputStream copy) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      copy.write(b);
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > MAX_HEAD_BYTES) {
        throw new NotHttp("a line over " + MAX_HEAD_BYTES + " bytes");
      }
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Bytes from the client that cannot be read as HTTP/1.1 requests. */
  private static final class NotHttp extends IOException {
    private static final long serialVersionUID = 1L;

    NotHttp(String message) {
      super(message);
    }
  }
}
