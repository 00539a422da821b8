package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parameter is a value, never a path: one passed to {@code run} or {@code run-now} that would
 * lead an overwrite out of the exports root is refused with exit code 2 before anything is touched,
 * and the folder it points at keeps its files.
 */
class ParamsInPathsTest {
  @TempDir Path dir;

  @Test
  void aParameterThatLeavesTheExportsRootIsRefusedAndTheFolderItNamesIsLeftAlone()
      throws Exception {
    Path victim = Files.createDirectories(dir.resolve("victimdir"));
    Files.writeString(victim.resolve("precious.txt"), "keep me");
    Path site =
        Fixtures.write(
            dir,
            "application.conf",
            "lakeport { exports = \""
                + dir.resolve("exports")
                + "\", history.url = \"jdbc:sqlite:"
                + dir.resolve("history.db")
                + "\" }\n");
    Path job =
        Fixtures.write(
            dir,
            "probe.conf",
            """
            name = probe
            params { tenant = acme }
            source { format = parquet, path = "%s" }
            sink { format = parquet, path = ${lakeport.exports}"/probe/tenants/"${params.tenant}, mode = overwrite }
            """
                .formatted(dir.resolve("in")));
    String escape = "tenant=../../../../../" + victim;

    for (String command : new String[] {"run", "run-now"}) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Cli.lakeport(site, out, err, command, job.toString(), "-p", escape);

      assertThat(code).as(command + ": " + err).isEqualTo(2);
      assertThat(err.toString())
          .as(command)
          .startsWith(Fixtures.displayed(job) + ":4: sink.path: parameter tenant = \"../")
          .contains("cannot be part of a path")
          .doesNotContain("\tat ");
    }
    assertThat(victim.resolve("precious.txt")).hasContent("keep me");
    assertThat(dir.resolve("exports")).doesNotExist();
  }
}
