package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run id names the run's staging folder and manifest: one given from outside ({@code --run-id},
 * as a launcher passes it) that is not a run id is refused with exit code 2 before anything is
 * touched, whatever folder it points at.
 */
class RunIdOptionTest {
  @TempDir Path dir;

  @Test
  void aRunIdThatLeavesTheExportIsRefusedAndTheFolderItNamesIsLeftAlone() throws Exception {
    Path victim = Files.createDirectories(dir.resolve("victim"));
    Files.writeString(victim.resolve("precious.txt"), "keep me");
    Path site =
        Fixtures.write(dir, "application.conf", "lakeport.exports = \"" + dir + "/exports\"\n");
    Path job =
        Fixtures.write(
            dir,
            "job.conf",
            """
            name = job
            source { format = parquet, path = "%s" }
            sink { format = parquet, path = ${lakeport.exports}/out, mode = overwrite }
            """
                .formatted(dir.resolve("in")));

    for (String command : new String[] {"run", "retention"}) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      String runId = "../../../../../../../" + victim;
      int code =
          command.equals("run")
              ? Cli.lakeport(site, out, err, "run", job.toString(), "--run-id", runId)
              : Cli.lakeport(
                  site, out, err, "retention", "apply", job.toString(), "--run-id", runId);

      assertThat(code).as(command + ": " + err).isEqualTo(2);
      assertThat(err.toString())
          .contains("--run-id \"" + runId + "\" is not a run id")
          .doesNotContain("\tat ");
    }
    assertThat(victim.resolve("precious.txt")).hasContent("keep me");
    assertThat(dir.resolve("exports")).doesNotExist();
  }
}
