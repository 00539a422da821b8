package io.lakeport.retention;

import io.lakeport.Fixtures;
import io.lakeport.run.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** {@link RetentionApplyScenario} on local disk, through the file system Lakeport itself uses. */
class RetentionApplyPropertyTest {
  @Property(tries = 40)
  void applyLeavesExactlyTheKeptSetOnLocalDisk(@ForAll("scenarios") RetentionApplyScenario scenario)
      throws Exception {
    Path dir = Files.createTempDirectory("lakeport-retention");
    try {
      Configuration conf = Sessions.hadoopConfiguration(Fixtures.site());
      org.apache.hadoop.fs.Path root =
          new org.apache.hadoop.fs.Path(dir.resolve("exports/test").toUri());
      FileSystem fs = root.getFileSystem(conf);
      scenario.check(
          fs,
          root,
          new org.apache.hadoop.fs.Path(dir.resolve("archive").toUri()),
          conf,
          dir,
          Instant.now(),
          true);
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Provide
  Arbitrary<RetentionApplyScenario> scenarios() {
    return RetentionApplyScenario.arbitrary();
  }
}
