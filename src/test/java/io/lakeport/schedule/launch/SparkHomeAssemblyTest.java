package io.lakeport.schedule.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark home assembled from Maven's jars: links, runnable scripts and the RELEASE marker. */
class SparkHomeAssemblyTest {
  @TempDir Path dir;

  @Test
  void linksTheJarsAndWritesRunnableScripts() throws Exception {
    Path a = Files.writeString(dir.resolve("spark-core_2.13-4.1.1.jar"), "core");
    Path b = Files.writeString(dir.resolve("hadoop-aws-3.4.2.jar"), "aws");
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.writeString(home.resolve("jars").resolve("stale-1.0.jar"), "left from an older build");

    SparkHomeAssembly.assemble(home, List.of(a, b), "-Dx=1");

    try (var jars = Files.list(home.resolve("jars"))) {
      assertThat(jars.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("hadoop-aws-3.4.2.jar", "spark-core_2.13-4.1.1.jar");
    }
    assertThat(Files.isSymbolicLink(home.resolve("jars/spark-core_2.13-4.1.1.jar"))).isTrue();
    assertThat(Files.readString(home.resolve("jars/spark-core_2.13-4.1.1.jar"))).isEqualTo("core");
    assertThat(home.resolve("bin/spark-submit")).isExecutable();
    assertThat(Files.readString(home.resolve("bin/spark-submit")))
        .contains("-Dx=1 org.apache.spark.deploy.SparkSubmit \"$@\"");
    assertThat(home.resolve("bin/spark-class")).isExecutable();
    assertThat(home.resolve("RELEASE")).exists();
    assertThat(home.resolve("conf")).isDirectory();
  }
}
