package io.lakeport;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.fault.Failpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code lakeport} command in a child JVM (Spark's JVM flags, this test's class path) that
 * stops at a failpoint and is killed there with SIGKILL, for crash tests: what it left on disk and
 * in the history is exactly what a killed process leaves.
 */
public final class ChildLakeport {
  private ChildLakeport() {}

  /** Runs {@code lakeport <args>} in {@code dir} until it prints that it reached {@code point}, then SIGKILLs it. */
  public static void killAt(String point, Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(Files.readString(Path.of("target", "launcher", "jvm-flags")).trim().split("\\s+")));
    command.addAll(List.of("-Xmx1g", "-D" + Failpoints.PROPERTY + "=" + point, "-cp", System.getProperty("java.class.path"),
        "io.lakeport.cli.Lakeport"));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    List<String> log = new ArrayList<>();
    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          log.add(line);
          if (line.equals("lakeport-failpoint: " + point)) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    });
    try {
      assertThat(stopped.get(3, TimeUnit.MINUTES)).as("the child reached %s:%n%s", point, String.join("\n", log)).isTrue();
    } finally {
      child.destroyForcibly();
      child.waitFor(1, TimeUnit.MINUTES);
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }
}
