package io.lakeport.notify;

import static java.util.Objects.requireNonNull;

import io.lakeport.config.NotificationSettings.Webhook;
import io.lakeport.config.Secret;
import io.lakeport.config.Secrets;
import io.lakeport.run.Versions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs the JSON payload to a URL. With an HMAC secret, {@value #SIGNATURE} carries {@code
 * sha256=<hex HMAC-SHA256 of the exact body>}, so the receiver can check who sent it and that
 * nothing changed. Any 2xx answer is delivered; anything else is a failed try.
 */
final class WebhookChannel implements Channel {
  static final String SIGNATURE = "X-Lakeport-Signature";
  static final String EVENT = "X-Lakeport-Event";
  static final String ALGORITHM = "HmacSHA256";

  private final Webhook spec;
  private final HttpClient http;

  WebhookChannel(Webhook spec, HttpClient http) {
    this.spec = requireNonNull(spec, "spec is null");
    this.http = requireNonNull(http, "http is null");
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public String type() {
    return spec.type();
  }

  @Override
  public String target() {
    return spec.name()
        + " "
        + spec.url()
            .map(url -> Secrets.maskUrl(url.toString()))
            .orElseGet(() -> "(url from " + spec.urlSecret().orElseThrow() + ")");
  }

  @Override
  public void send(Message message, Duration timeout) throws Exception {
    URI url = spec.url().orElseGet(() -> URI.create(spec.urlSecret().orElseThrow().reveal()));
    post(
        http,
        url,
        message.payload(),
        "application/json",
        timeout,
        signature(message.payload()),
        message.event().type().text());
  }

  private Optional<String> signature(byte[] body) {
    return spec.hmacSecret().map(secret -> "sha256=" + hmac(secret, body));
  }

  static String hmac(Secret secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + ALGORITHM, e);
    }
  }

  /** The first message in the cause chain (the JDK's ConnectException has none), with its class. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getClass().getSimpleName() + ": " + Secrets.maskUrl(t.getMessage());
      }
    }
    return e.getClass().getSimpleName();
  }

  /**
   * POSTs {@code body}; a non-2xx answer throws, naming the status (the URL, which may hold a
   * token, never).
   */
  static void post(
      HttpClient http,
      URI url,
      byte[] body,
      String contentType,
      Duration timeout,
      Optional<String> signature,
      String event)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .header("User-Agent", "lakeport/" + Versions.lakeport())
            .header(EVENT, event)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signature.ifPresent(value -> request.header(SIGNATURE, value));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException(
          "Cannot reach " + url.getScheme() + "://" + url.getAuthority() + ": " + reason(e), e);
    }
    if (response.statusCode() / 100 != 2) {
      String answer = response.body() == null ? "" : response.body().strip();
      throw new IOException(
          "HTTP "
              + response.statusCode()
              + (answer.isEmpty()
                  ? ""
                  : ": "
                      + Secrets.maskUrl(
                          answer.length() > 200 ? answer.substring(0, 200) : answer)));
    }
  }
}
