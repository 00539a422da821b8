package io.lakeport.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log files pruning deletes: only {@code .log} files inside the logs folder, whatever the
 * history says.
 */
class RunLogFilesTest {
  @TempDir Path dir;

  @Test
  void deletesOnlyLogFilesInsideTheLogsFolder() throws IOException {
    Path logs = Files.createDirectories(dir.resolve("logs/orders")).getParent();
    Path inside = Files.writeString(logs.resolve("orders/r1.log"), "x");
    Path notALog = Files.writeString(logs.resolve("orders/r2.conf"), "x");
    Path outside = Files.writeString(dir.resolve("r3.log"), "x");
    Path site = Files.writeString(dir.resolve("application.conf"), "x");

    long deleted =
        RunLogFiles.delete(
            logs,
            List.of(
                inside.toString(),
                notALog.toString(),
                outside.toString(),
                logs.resolve("orders/../../r3.log").toString(),
                logs.resolve("../application.conf").toString(),
                logs.toString(),
                "\u0000bad",
                logs.resolve("orders/gone.log").toString()));

    assertThat(deleted).isEqualTo(1);
    assertThat(inside).doesNotExist();
    assertThat(notALog).exists();
    assertThat(outside).exists();
    assertThat(site).exists();
    assertThat(logs).isDirectory();
  }
}
