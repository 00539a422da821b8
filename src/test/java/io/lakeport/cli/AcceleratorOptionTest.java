package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeport.Fixtures;
import io.lakeport.config.AcceleratorSettings.Accelerator;
import io.lakeport.config.Site;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --accelerator auto|none|comet} on every command that starts Spark: described with the
 * site's default, refused with exit 2 for anything else, and taking precedence over the site's
 * setting in the settings the command runs with (no Spark is started here; the explain test runs
 * Comet).
 */
class AcceleratorOptionTest {
  private static final List<String> SPARK_COMMANDS =
      List.of("run", "demo", "explain", "preview", "validate", "scheduler start");

  @TempDir Path dir;

  private static CommandLine command(CommandLine root, String path) {
    CommandLine command = root;
    for (String name : path.split(" ")) {
      command = command.getSubcommands().get(name);
    }
    return command;
  }

  @Test
  void everyCommandThatStartsSparkTakesTheOptionAndNamesTheSiteDefault() {
    CommandLine root = Lakeport.commandLine(Clock.systemUTC());
    for (String name : SPARK_COMMANDS) {
      OptionSpec option = command(root, name).getCommandSpec().findOption("--accelerator");
      assertThat(option).as(name).isNotNull();
      assertThat(String.join(" ", option.description()))
          .as(name)
          .contains("auto", "none", "comet", "default: the site's lakeport.spark.accelerator");
    }
    assertThat(command(root, "jobs").getCommandSpec().findOption("--accelerator"))
        .as("jobs starts no Spark")
        .isNull();
  }

  @Test
  void anAcceleratorLakeportDoesNotHaveIsAUsageError() {
    Path site = Fixtures.write(dir, "application.conf", "");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Cli.lakeport(site, out, err, "run", "job.conf", "--accelerator", "cuda");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("expected auto, none or comet, not 'cuda'");
  }

  @Test
  void theOptionOverridesTheSiteSettingAndItsAbsenceKeepsIt() {
    Site comet =
        Site.load(
            Optional.of(Fixtures.write(dir, "comet.conf", "lakeport.spark.accelerator = comet\n")));
    assertThat(comet.accelerator().accelerator()).isEqualTo(Accelerator.COMET);

    for (String name : SPARK_COMMANDS) {
      AcceleratorOption option = parse(name + " " + job(name) + "--accelerator NONE");
      assertThat(option.apply(comet).accelerator().accelerator())
          .as(name)
          .isEqualTo(Accelerator.NONE);
      assertThat(option.apply(comet).accelerator().cometConf())
          .as(name)
          .isEqualTo(comet.accelerator().cometConf());

      assertThat(parse((name + " " + job(name)).trim()).apply(comet).accelerator().accelerator())
          .as(name)
          .isEqualTo(Accelerator.COMET);
    }
  }

  /** The job argument {@code name} needs: none for the demo and the scheduler. */
  private static String job(String name) {
    return name.equals("demo") || name.startsWith("scheduler") ? "" : "x ";
  }

  /** The command line's option as picocli parsed it (through the root, as the shell does). */
  private static AcceleratorOption parse(String commandLine) {
    CommandLine root = Lakeport.commandLine(Clock.systemUTC());
    root.parseArgs(commandLine.split(" "));
    String[] words = commandLine.split(" ");
    String name = words[0].equals("scheduler") ? "scheduler start" : words[0];
    return command(root, name).getCommandSpec().mixins().values().stream()
        .map(mixin -> mixin.userObject())
        .filter(AcceleratorOption.class::isInstance)
        .map(AcceleratorOption.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
