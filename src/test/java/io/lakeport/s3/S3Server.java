package io.lakeport.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-protocol server on 127.0.0.1 for tests: s3proxy, in its own JVM (its AWS SDK, Jetty and
 * Jackson versions differ from Spark's). Its class path is resolved once by Maven from a small
 * generated pom into {@code target/s3proxy/}; later runs reuse it. With {@link Storage#FILESYSTEM}
 * a bucket is a folder under {@link #root()}, so tests can look at the stored objects directly.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "lakeport-test";
  public static final String SECRET_KEY = "lakeport-test-secret";
  private static final String VERSION = "4.1.0";
  private static final Path HOME = Path.of("target", "s3proxy").toAbsolutePath();

  private final Process process;
  private final Storage storage;
  private final Path root;
  private final int port;

  /** Where s3proxy keeps the objects, which decides what it accepts. */
  public enum Storage {
    /**
     * Files under {@link #root()}; requests with server-side encryption headers fail (501
     * NotImplemented).
     */
    FILESYSTEM,
    /**
     * In memory (s3proxy's {@code transient-nio2} store), which accepts SSE-S3 and SSE-KMS headers
     * and reports them back on the objects, without encrypting anything.
     */
    IN_MEMORY
  }

  private S3Server(Process process, Storage storage, Path root, int port) {
    this.process = process;
    this.storage = storage;
    this.root = root;
    this.port = port;
  }

  /** Starts a server storing its buckets under {@code root}, with {@code buckets} created. */
  public static S3Server start(Path root, String... buckets)
      throws IOException, InterruptedException {
    return start(Storage.FILESYSTEM, root, buckets);
  }

  /**
   * Starts a server with {@code buckets} created, its settings next to {@code root} (and with
   * {@link Storage#FILESYSTEM} its objects under it).
   */
  public static S3Server start(Storage storage, Path root, String... buckets)
      throws IOException, InterruptedException {
    if (storage == Storage.FILESYSTEM) {
      for (String bucket : buckets) {
        Files.createDirectories(root.resolve(bucket));
      }
    }
    int port = freePort();
    String backend =
        switch (storage) {
          case FILESYSTEM -> "jclouds.provider=filesystem\njclouds.filesystem.basedir=" + root;
          case IN_MEMORY -> "jclouds.provider=transient-nio2";
        };
    Path properties =
        Files.writeString(
            root.resolveSibling(root.getFileName() + ".properties"),
            String.join(
                    "\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    backend)
                + "\n");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + logback(),
                "-cp",
                classpath(),
                "org.gaul.s3proxy.Main",
                "--properties",
                properties.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    awaitStarted(process, port);
    S3Server server = new S3Server(process, storage, root, port);
    if (storage == Storage.IN_MEMORY) {
      server.createBuckets(buckets);
    }
    return server;
  }

  /** Creates buckets over S3 itself, for stores that are not folders on disk. */
  private void createBuckets(String... buckets) {
    try (S3Client client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build()) {
      for (String bucket : buckets) {
        client.createBucket(request -> request.bucket(bucket));
      }
    }
  }

  /**
   * A Hadoop configuration whose s3a talks to this server (path-style, plain HTTP, its keys), and
   * caches no file system: each test server has its own port.
   */
  public Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    conf.set("fs.s3a.endpoint", endpoint());
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.connection.ssl.enabled", "false");
    conf.set(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", ACCESS_KEY);
    conf.set("fs.s3a.secret.key", SECRET_KEY);
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    return conf;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The folder holding the buckets: objects are files under {@code root/bucket/key}. */
  public Path root() {
    if (storage != Storage.FILESYSTEM) {
      throw new IllegalStateException("this server keeps its objects in memory");
    }
    return root;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** Reads the server's log until Jetty reports the connector on our port, or the process ends. */
  private static void awaitStarted(Process process, int port) throws InterruptedException {
    List<String> log = new ArrayList<>();
    // The reader stays open after start-up: a background thread keeps draining the log.
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Boolean> started =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  synchronized (log) {
                    log.add(line);
                  }
                  if (line.contains("Started") && line.contains("127.0.0.1:" + port)) {
                    drainInBackground(out);
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                return false;
              }
            });
    boolean ok;
    try {
      ok = started.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      ok = false;
    }
    if (!ok) {
      process.destroyForcibly();
      synchronized (log) {
        throw new IllegalStateException(
            "s3proxy did not start on port " + port + ":\n" + String.join("\n", log));
      }
    }
  }

  private static void drainInBackground(BufferedReader out) {
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // keep the pipe empty so the server never blocks on its log
                }
              } catch (IOException e) {
                // the server stopped
              }
            },
            "s3proxy-log");
    drain.setDaemon(true);
    drain.start();
  }

  private static synchronized String classpath() throws IOException, InterruptedException {
    Path file = HOME.resolve("classpath-" + VERSION + ".txt");
    if (!Files.isRegularFile(file)) {
      Files.createDirectories(HOME);
      Path pom =
          Files.writeString(
              HOME.resolve("pom.xml"),
              """
          <project xmlns="http://maven.apache.org/POM/4.0.0">
            <modelVersion>4.0.0</modelVersion>
            <groupId>io.lakeport.test</groupId>
            <artifactId>s3proxy-runtime</artifactId>
            <version>1</version>
            <packaging>pom</packaging>
            <dependencies>
              <dependency><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId><version>%s</version></dependency>
              <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-annotations</artifactId><version>2.22</version></dependency>
            </dependencies>
          </project>
          """
                  .formatted(VERSION));
      Process mvn =
          new ProcessBuilder(
                  "mvn",
                  "-B",
                  "-q",
                  "-f",
                  pom.toString(),
                  "dependency:build-classpath",
                  "-Dmdep.outputFile=" + file)
              .redirectErrorStream(true)
              .redirectOutput(HOME.resolve("resolve.log").toFile())
              .start();
      if (!mvn.waitFor(10, TimeUnit.MINUTES)
          || mvn.exitValue() != 0
          || !Files.isRegularFile(file)) {
        throw new IllegalStateException(
            "Cannot resolve s3proxy's class path: see " + HOME.resolve("resolve.log"));
      }
    }
    return Files.readString(file).trim();
  }

  private static Path logback() throws IOException {
    Files.createDirectories(HOME);
    return Files.writeString(
        HOME.resolve("logback.xml"),
        """
        <configuration>
          <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss} %-5level %logger{20} %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="out"/></root>
        </configuration>
        """);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
