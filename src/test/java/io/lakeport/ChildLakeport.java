package io.lakeport;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.fault.Failpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real {@code lakeport} command in a child JVM (Spark's JVM flags, this test's class path): one
 * that stops at a failpoint and is killed there with SIGKILL, for crash tests (what it left on disk
 * and in the history is exactly what a killed process leaves), or a long-running one ({@link
 * #start}) that a test watches, works beside and stops with SIGTERM.
 */
public final class ChildLakeport {
  private ChildLakeport() {}

  /**
   * Runs {@code lakeport <args>} in {@code dir} until it prints that it reached {@code point}, then
   * SIGKILLs it.
   */
  public static void killAt(String point, Path dir, String... args) throws Exception {
    holdAt(point, dir, args).kill();
  }

  /** A child held at a failpoint, waiting to be killed. */
  public static final class Held {
    private final Process process;

    private Held(Process process) {
      this.process = process;
    }

    public long pid() {
      return process.pid();
    }

    /** SIGTERMs the child (its shutdown hooks run) and waits for it to end. */
    public void terminate() throws InterruptedException {
      process.destroy();
      process.waitFor(1, TimeUnit.MINUTES);
      assertThat(process.exitValue()).as("stopped by SIGTERM").isEqualTo(143);
    }

    /** SIGKILLs the child and waits for it to end. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(1, TimeUnit.MINUTES);
      assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }
  }

  /**
   * Runs {@code lakeport <args>} in {@code dir} until it prints that it reached {@code point}, and
   * leaves it there (alive, holding whatever it holds) until the test kills it.
   */
  public static Held holdAt(String point, Path dir, String... args) throws Exception {
    return holdAt(point, dir, Map.of(), args);
  }

  /** As {@link #holdAt(String, Path, String...)}, with {@code environment} added to the child's. */
  public static Held holdAt(String point, Path dir, Map<String, String> environment, String... args)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command(List.of("-D" + Failpoints.PROPERTY + "=" + point), args))
            .directory(dir.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process child = builder.start();
    List<String> log = new ArrayList<>();
    CompletableFuture<Boolean> stopped =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
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
      assertThat(stopped.get(3, TimeUnit.MINUTES))
          .as("the child reached %s:%n%s", point, String.join("\n", log))
          .isTrue();
    } catch (Exception | AssertionError e) {
      child.destroyForcibly();
      child.waitFor(1, TimeUnit.MINUTES);
      throw e;
    }
    return new Held(child);
  }

  /**
   * Starts {@code lakeport <args>} in {@code dir}; its output (stdout and stderr) is collected line
   * by line.
   */
  public static Running start(Path dir, String... args) throws IOException {
    Process child =
        new ProcessBuilder(command(List.of(), args))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    return new Running(child);
  }

  /**
   * How a command in a child JVM ended: its exit code and everything it printed (stdout and
   * stderr).
   */
  public record Finished(int exitCode, String output) {}

  /**
   * Runs {@code lakeport <args>} to its end with {@code home} as its {@code LAKEPORT_HOME} and
   * working folder (so its {@code jobs/} and {@code conf/application.conf} are those under home).
   */
  public static Finished run(Path home, Duration timeout, String... args) throws Exception {
    return run(home, timeout, List.of(), args);
  }

  /**
   * As {@link #run(Path, Duration, String...)}, with JVM options such as {@code
   * -Dlog4j2.configurationFile=conf/log4j2.properties} (the launcher's log settings, not the
   * tests').
   */
  public static Finished run(Path home, Duration timeout, List<String> jvmOptions, String... args)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command(jvmOptions, args))
            .directory(home.toFile())
            .redirectErrorStream(true);
    builder.environment().put("LAKEPORT_HOME", home.toString());
    Process child = builder.start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      assertThat(child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .as("lakeport %s ended within %s", String.join(" ", args), timeout)
          .isTrue();
      return new Finished(child.exitValue(), output.get(1, TimeUnit.MINUTES));
    } finally {
      child.destroyForcibly();
    }
  }

  private static List<String> command(List<String> properties, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(Files.readString(Path.of("target", "launcher", "jvm-flags")).trim().split("\\s+")));
    command.add("-Xmx1g");
    // short runs on small data: C1 alone and the serial collector start and finish them sooner
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(properties);
    // the test site's sink roots (the temporary folders, from the build), as the child's site too
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("lakeport.sink-roots."))
        .sorted()
        .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "io.lakeport.cli.Lakeport"));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * A {@code lakeport} command going on in a child JVM; closing it kills it (SIGKILL) if it still
   * runs.
   */
  public static final class Running implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    /** The child closed its output: it has ended, and every line is in. */
    private boolean ended;

    private Running(Process process) {
      this.process = process;
      Thread reader = new Thread(this::collect, "child-lakeport-output");
      reader.setDaemon(true);
      reader.start();
    }

    private void collect() {
      try (BufferedReader output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the child is gone; what it printed is kept
      } finally {
        synchronized (lines) {
          ended = true;
          lines.notifyAll();
        }
      }
    }

    /**
     * The first line the child printed that matches, waiting for it up to {@code timeout}; fails
     * the test otherwise.
     */
    public String awaitLine(Predicate<String> matching, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (lines) {
        while (true) {
          Optional<String> line = lines.stream().filter(matching).findFirst();
          if (line.isPresent()) {
            return line.get();
          }
          long left = deadline - System.nanoTime();
          assertThat(left > 0 && !ended)
              .as(
                  "the child printed the awaited line within %s; it printed:%n%s",
                  timeout, output())
              .isTrue();
          lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    }

    /** Everything the child printed so far. */
    public String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }

    /**
     * Sends SIGTERM and waits up to {@code timeout} for the child to end and for the last of its
     * output; returns its exit code. {@link ProcessHandle#destroy()} sends SIGTERM on Linux, as
     * {@link Process#destroy()} does, but leaves open the pipe the child's output is read from.
     */
    public int terminate(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      process.toHandle().destroy();
      assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .as("the child ended within %s of SIGTERM:%n%s", timeout, output())
          .isTrue();
      synchronized (lines) {
        for (long left = deadline - System.nanoTime();
            !ended && left > 0;
            left = deadline - System.nanoTime()) {
          lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
      return process.exitValue();
    }

    /**
     * Lets the child run for {@code instant} (or until it ends by itself), then SIGKILLs it;
     * returns whether it was still running when killed.
     */
    public boolean killAfter(Duration instant) throws InterruptedException {
      boolean ended = process.waitFor(instant.toMillis(), TimeUnit.MILLISECONDS);
      close();
      return !ended;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(1, TimeUnit.MINUTES);
    }
  }
}
