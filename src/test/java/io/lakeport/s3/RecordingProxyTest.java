package io.lakeport.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lakeport.s3.RecordingProxy.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay in front of a real HTTP server (the JDK's): bodies arrive unchanged, and requests sent
 * one after the other on one keep-alive connection are told apart, with bodies of a known length
 * and chunked ones.
 */
class RecordingProxyTest {
  private HttpServer server;
  private RecordingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    proxy = RecordingProxy.start(server.getAddress().getPort());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    server.stop(0);
  }

  @Test
  void recordsEachRequestOfAKeepAliveConnectionAndRelaysBodiesUnchanged() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String sized = "a body of a known length, " + "x".repeat(20_000);
    String chunked = "a chunked body, " + "y".repeat(50_000);
    URI base = URI.create(proxy.endpoint());

    String first =
        client
            .send(
                HttpRequest.newBuilder(base.resolve("/bucket/a%3D1/key?uploads"))
                    .header("x-amz-server-side-encryption", "AES256")
                    .POST(BodyPublishers.ofString(sized))
                    .build(),
                BodyHandlers.ofString())
            .body();
    String second =
        client
            .send(
                HttpRequest.newBuilder(base.resolve("/bucket/chunked"))
                    .PUT(
                        BodyPublishers.ofInputStream(
                            () ->
                                new ByteArrayInputStream(chunked.getBytes(StandardCharsets.UTF_8))))
                    .build(),
                BodyHandlers.ofString())
            .body();
    int third =
        client
            .send(
                HttpRequest.newBuilder(base.resolve("/bucket?list-type=2")).GET().build(),
                BodyHandlers.discarding())
            .statusCode();

    assertThat(List.of(first, second)).containsExactly(sized, chunked);
    assertThat(third).isEqualTo(200);
    List<Request> requests = proxy.requests();
    assertThat(requests)
        .extracting(Request::toString)
        .containsExactly(
            "POST /bucket/a%3D1/key?uploads", "PUT /bucket/chunked", "GET /bucket?list-type=2");
    assertThat(requests)
        .extracting(Request::connection)
        .as("one keep-alive connection")
        .containsOnly(1);
    assertThat(requests.get(0).path()).isEqualTo("/bucket/a=1/key");
    assertThat(requests.get(0).hasParameter("uploads")).isTrue();
    assertThat(requests.get(0).header("X-Amz-Server-Side-Encryption")).contains("AES256");
    assertThat(requests.get(1).header("transfer-encoding")).contains("chunked");
    assertThat(proxy.problems()).isEmpty();
  }

  @Test
  void reportsBytesThatAreNotHttpAndStillRelaysThem() throws Exception {
    try (Socket socket =
        new Socket(InetAddress.getLoopbackAddress(), URI.create(proxy.endpoint()).getPort())) {
      socket
          .getOutputStream()
          .write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      // The JDK's server is lenient: it reads method NOT, path HTTP, and finds no such path.
      assertThat(answer)
          .as("the server's own answer, relayed")
          .startsWith("HTTP/1.1 404 Not Found");
    }

    assertThat(proxy.requests()).isEmpty();
    assertThat(proxy.problems())
        .containsExactly("connection 1: not an HTTP/1.x request line: NOT HTTP AT ALL");
  }
}
