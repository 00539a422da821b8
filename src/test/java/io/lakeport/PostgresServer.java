package io.lakeport;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests, from Debian's packages: {@code initdb} into a folder,
 * {@code pg_ctl} start on a free port of 127.0.0.1 (trust authentication, user {@code postgres}),
 * stopped and left for the test's temporary folder to remove. Where the server programs are
 * missing, they are installed with apt-get only when running as root and asked to (CI=true, or
 * {@code -Dlakeport.test.install-postgresql=true}); otherwise the test is skipped with the reason.
 */
public final class PostgresServer implements AutoCloseable {
  /** Asks the tests to install PostgreSQL from Debian's packages when it is missing. */
  public static final String INSTALL_PROPERTY = "lakeport.test.install-postgresql";

  private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  private static final String SUPERUSER = "postgres";

  private final Path bin;
  private final Path data;
  private final int port;
  private final List<String> asOwner;

  private PostgresServer(Path bin, Path data, int port, List<String> asOwner) {
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.asOwner = asOwner;
  }

  /**
   * Starts a cluster in {@code dir}, or skips the calling test (with the reason) when PostgreSQL
   * cannot be had.
   */
  public static PostgresServer start(Path dir) throws IOException, InterruptedException {
    Optional<Path> bin = binaries().or(PostgresServer::install);
    if (bin.isEmpty()) {
      String reason =
          "Skipped: PostgreSQL server programs are not in "
              + DEBIAN_BINARIES
              + "/<version>/bin and were not"
              + " installed (run as root with CI=true or -D"
              + INSTALL_PROPERTY
              + "=true to install Debian's postgresql)";
      System.out.println(reason);
      abort(reason);
    }
    // initdb refuses to run as root: the cluster then belongs to the postgres user the package
    // created.
    List<String> asOwner = isRoot() ? List.of("runuser", "-u", SUPERUSER, "--") : List.of();
    Path home = Files.createDirectories(dir.resolve("postgres"));
    if (isRoot()) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      run(List.of("chown", SUPERUSER, home.toString()), List.of(), Duration.ofSeconds(30));
    }
    Path data = home.resolve("data");
    PostgresServer server = new PostgresServer(bin.get(), data, freePort(), asOwner);
    server.initdb();
    server.startServer();
    return server;
  }

  /** A JDBC URL of a new, empty database on this server. */
  public String createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"), SUPERUSER, "");
        Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public String user() {
    return SUPERUSER;
  }

  private void initdb() throws IOException, InterruptedException {
    run(
        command(
            bin.resolve("initdb").toString(),
            "-A",
            "trust",
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "-D",
            data.toString()),
        List.of(),
        Duration.ofMinutes(2));
  }

  private void startServer() throws IOException, InterruptedException {
    String options = "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off";
    run(
        command(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-o",
            options,
            "-l",
            data.resolveSibling("server.log").toString(),
            "-W",
            "start"),
        List.of(),
        Duration.ofMinutes(1));
    waitUntilReady();
  }

  /**
   * Asks pg_isready (which itself waits up to a second per try) until the server answers or the
   * time is up.
   */
  private void waitUntilReady() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(READY_WITHIN);
    while (Instant.now().isBefore(deadline)) {
      Process ready =
          new ProcessBuilder(
                  bin.resolve("pg_isready").toString(),
                  "-h",
                  "127.0.0.1",
                  "-p",
                  String.valueOf(port),
                  "-t",
                  "1")
              .redirectErrorStream(true)
              .start();
      ready.getInputStream().readAllBytes();
      if (ready.waitFor(10, TimeUnit.SECONDS) && ready.exitValue() == 0) {
        return;
      }
    }
    throw new IllegalStateException(
        "PostgreSQL did not accept connections on 127.0.0.1:"
            + port
            + " within "
            + READY_WITHIN
            + "; see "
            + data.resolveSibling("server.log"));
  }

  @Override
  public void close() throws IOException {
    try {
      run(
          command(
              bin.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-m",
              "immediate",
              "-w",
              "stop"),
          List.of(),
          Duration.ofMinutes(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while stopping PostgreSQL at " + data, e);
    }
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(asOwner);
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** The newest version's server programs under /usr/lib/postgresql. */
  private static Optional<Path> binaries() {
    if (!Files.isDirectory(DEBIAN_BINARIES)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path folder) {
    String name = folder.getFileName().toString();
    return name.matches("\\d+") ? Integer.parseInt(name) : 0;
  }

  /** apt-get install postgresql, when allowed; prints how long it took. */
  private static Optional<Path> install() {
    boolean asked = "true".equals(System.getenv("CI")) || Boolean.getBoolean(INSTALL_PROPERTY);
    if (!asked || !isRoot()) {
      return Optional.empty();
    }
    Instant started = Instant.now();
    try {
      List<String> env = List.of("DEBIAN_FRONTEND=noninteractive");
      run(List.of("apt-get", "update"), env, Duration.ofMinutes(5));
      run(
          List.of("apt-get", "install", "-y", "--no-install-recommends", "postgresql"),
          env,
          Duration.ofMinutes(10));
    } catch (IOException | InterruptedException | IllegalStateException e) {
      System.out.println("PostgreSQL could not be installed: " + e.getMessage());
      return Optional.empty();
    }
    System.out.println(
        "Installed Debian's postgresql in "
            + Duration.between(started, Instant.now()).toSeconds()
            + " s");
    return binaries();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Runs a command to its end within {@code limit}; its output becomes the message when it fails.
   */
  private static void run(List<String> command, List<String> env, Duration limit)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).directory(new File("/"));
    env.forEach(
        e ->
            builder
                .environment()
                .put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
    Path output = Files.createTempFile("lakeport-postgres", ".log");
    try {
      Process process = builder.redirectOutput(output.toFile()).start();
      if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish within " + limit);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(output));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
