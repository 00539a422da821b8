package io.lakeport.server;

import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lakeport.DebianPackages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus text format parsed by the Prometheus project's own parser: the Python client's {@code
 * prometheus_client.parser} (Debian's python3-prometheus-client; the Java client has no parser). It
 * refuses text Prometheus would not read; what it reads comes back as families.
 */
final class PrometheusParser {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path MODULE =
      Path.of("/usr/lib/python3/dist-packages/prometheus_client/parser.py");
  private static final String SCRIPT =
      String.join(
          "\n",
          "import json, sys",
          "from prometheus_client.parser import text_string_to_metric_families",
          "families = []",
          "for f in text_string_to_metric_families(sys.stdin.read()):",
          "    families.append({'name': f.name, 'type': f.type, 'help': f.documentation,",
          "        'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]})",
          "print(json.dumps(families))");

  /** One sample: its name (with _total, _bucket, ...), labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** One metric family: name, type and its samples. */
  record Family(String name, String type, String help, List<Sample> samples) {}

  private PrometheusParser() {}

  /**
   * The families in {@code text}; skips the test (with the reason) when the parser cannot be had.
   */
  static List<Family> parse(String text) throws IOException, InterruptedException {
    String missing = DebianPackages.ensure(MODULE, "python3-prometheus-client");
    if (!missing.isEmpty() || !Files.isExecutable(PYTHON)) {
      String reason =
          "Skipped: no Prometheus text parser: "
              + (missing.isEmpty() ? PYTHON + " is missing" : missing);
      System.out.println(reason);
      abort(reason);
    }
    Process python = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(python, false));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(python, true));
    try (var in = python.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    if (!python.waitFor(60, TimeUnit.SECONDS)) {
      python.destroyForcibly();
      throw new IllegalStateException("the Prometheus parser did not finish within 60 s");
    }
    if (python.exitValue() != 0) {
      throw new AssertionError(
          "Prometheus' parser refused the text:\n"
              + new String(err.join(), StandardCharsets.UTF_8)
              + "\n--- text ---\n"
              + text);
    }
    List<Family> families = new ArrayList<>();
    for (JsonNode family : new ObjectMapper().readTree(out.join())) {
      List<Sample> samples = new ArrayList<>();
      for (JsonNode sample : family.path("samples")) {
        Map<String, String> labels = new TreeMap<>();
        sample
            .path("labels")
            .properties()
            .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        samples.add(
            new Sample(sample.path("name").asText(), labels, sample.path("value").asDouble()));
      }
      families.add(
          new Family(
              family.path("name").asText(),
              family.path("type").asText(),
              family.path("help").asText(),
              samples));
    }
    return families;
  }

  private static byte[] readAll(Process process, boolean error) {
    try {
      return (error ? process.getErrorStream() : process.getInputStream()).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
