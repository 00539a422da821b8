package io.lakeport.schedule.launch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a Spark home from the jars Maven resolved, so the scheduler can spark-submit where no
 * Spark is installed: {@code jars/} (links to the jars, not copies), {@code bin/spark-submit} and
 * {@code bin/spark-class}, an empty {@code conf/}, and a {@code RELEASE} file, which is how Spark's
 * launcher knows to take executors' class path from {@code jars/}. The build runs it at {@code
 * package}: {@code target/spark-home}.
 */
public final class SparkHomeAssembly {
  private static final String SUBMIT =
      """
      #!/usr/bin/env sh
      # spark-submit of the Spark home Lakeport assembled from Maven's jars.
      SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
      export SPARK_HOME SPARK_SCALA_VERSION=2.13
      exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${SPARK_SUBMIT_OPTS} -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" \\
        %s org.apache.spark.deploy.SparkSubmit "$@"
      """;
  private static final String CLASS =
      """
      #!/usr/bin/env sh
      # Runs a class of this Spark home, e.g. bin/spark-class org.apache.spark.deploy.master.Master --host 127.0.0.1
      SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
      export SPARK_HOME SPARK_SCALA_VERSION=2.13
      exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" %s "$@"
      """;

  private SparkHomeAssembly() {}

  /** {@code SparkHomeAssembly <spark home> <class path file> <jvm flags file>}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: SparkHomeAssembly <spark home> <class path file> <jvm flags file>");
    }
    List<Path> jars = new ArrayList<>();
    for (String entry : Files.readString(Path.of(args[1])).trim().split(File.pathSeparator)) {
      jars.add(Path.of(entry));
    }
    assemble(Path.of(args[0]), jars, Files.readString(Path.of(args[2])).trim());
  }

  /**
   * Creates or refreshes the Spark home at {@code home} from {@code jars}; returns {@code home}.
   */
  public static Path assemble(Path home, List<Path> jars, String jvmFlags) throws IOException {
    Path lib = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    try (var old = Files.list(lib)) {
      for (Path link : old.toList()) {
        Files.delete(link);
      }
    }
    for (Path jar : jars) {
      Path target = lib.resolve(jar.getFileName());
      if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        link(jar.toAbsolutePath(), target);
      }
    }
    script(home.resolve("bin").resolve("spark-submit"), SUBMIT.formatted(jvmFlags));
    script(home.resolve("bin").resolve("spark-class"), CLASS.formatted(jvmFlags));
    Files.writeString(
        home.resolve("RELEASE"),
        "Spark, assembled by Lakeport from Maven's jars\n",
        StandardCharsets.UTF_8);
    return home;
  }

  private static void link(Path jar, Path target) throws IOException {
    try {
      Files.createSymbolicLink(target, jar);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(jar, target);
    }
  }

  private static void script(Path path, String text) {
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path, e);
    }
  }
}
