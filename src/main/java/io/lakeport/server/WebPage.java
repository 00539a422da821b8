package io.lakeport.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web page at {@code /}: static HTML, a script and a style sheet from the class path (no build
 * step), which read the API from the browser and draw the charts as inline SVG.
 */
final class WebPage {
  static final String INDEX = "index.html";
  private static final String FOLDER = "io/lakeport/server/web/";
  private static final Map<String, String> FILES =
      Map.of(
          INDEX,
          "text/html; charset=utf-8",
          "app.js",
          "text/javascript; charset=utf-8",
          "app.css",
          "text/css; charset=utf-8");

  private WebPage() {}

  static boolean has(String name) {
    return FILES.containsKey(name);
  }

  static int serve(HttpExchange exchange, String name) throws IOException {
    byte[] body;
    try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new UncheckedIOException(
            new IOException("the page's file " + FOLDER + name + " is missing from the jar"));
      }
      body = in.readAllBytes();
    }
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'");
    return ApiServer.send(exchange, 200, FILES.get(name), body);
  }
}
