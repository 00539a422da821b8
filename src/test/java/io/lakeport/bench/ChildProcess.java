package io.lakeport.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark starts and waits for: its wall time from start to exit, its peak resident
 * memory (the kernel's high-water mark, {@code VmHWM}, read until the process ends), and its output
 * in a log file. A process that fails stops the benchmark with its log's tail.
 */
final class ChildProcess {
  /** How a process ended: seconds from start to exit and peak resident memory in MiB. */
  record Ended(double seconds, double peakMiB) {}

  private static final long POLL_MS = 100;

  private ChildProcess() {}

  static Ended run(List<String> command, Map<String, String> env, Path log) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      long start = System.nanoTime();
      Process process = builder.start();
      long peakKiB = 0;
      // The launcher script execs java, so the pid is the JVM's; its VmHWM is the peak so far.
      while (!process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
        peakKiB = Math.max(peakKiB, peakKiB(process.pid()));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "Benchmark process failed with exit "
                + process.exitValue()
                + ": "
                + String.join(" ", command)
                + "\n"
                + tail(log));
      }
      return new Ended(seconds, peakKiB / 1024.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static long peakKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between two looks
    }
    return 0;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
