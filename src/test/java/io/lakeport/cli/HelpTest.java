package io.lakeport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * {@code --help} works on every command and subcommand, found by walking the command tree (so a
 * command added later is covered): exit code 0, its own usage, no "null" where a setting's name
 * belongs; {@code lakeport help <command>} prints the same.
 */
class HelpTest {
  @TestFactory
  Stream<DynamicTest> everyCommandHasHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(Lakeport.commandLine(Clock.systemUTC()), new ArrayList<>(), paths);
    assertThat(paths).as("the tree was walked").hasSizeGreaterThan(20);
    return paths.stream()
        .map(
            path ->
                DynamicTest.dynamicTest(
                    String.join(" ", path) + " --help",
                    () -> {
                      List<String> args = new ArrayList<>(path.subList(1, path.size()));
                      args.add("--help");
                      Output help = run(args);
                      assertThat(help.code()).as(help.err()).isZero();
                      assertThat(help.out())
                          .contains("Usage: " + String.join(" ", path) + " ")
                          .doesNotContain("null");
                      assertThat(help.err()).isEmpty();
                    }));
  }

  @Test
  void helpCommandPrintsTheSameUsageAsTheOption() {
    Output option = run(List.of("run", "--help"));
    Output command = run(List.of("help", "run"));

    assertThat(command.code()).isZero();
    assertThat(command.out()).isEqualTo(option.out()).contains("--param");
  }

  @Test
  void newJobHelpNamesTheSettingsItWritesNotTheirValues() {
    Output help = run(List.of("new-job", "--help"));

    assertThat(help.out())
        .contains("written as ${lakeport.warehouse}/...", "(default: ${lakeport.exports}")
        .doesNotContain("null/");
  }

  private static void collect(CommandLine command, List<String> prefix, List<List<String>> paths) {
    List<String> path = new ArrayList<>(prefix);
    path.add(command.getCommandName());
    paths.add(path);
    command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, path, paths));
  }

  private static Output run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Lakeport.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Output(code, out.toString(), err.toString());
  }

  private record Output(int code, String out, String err) {}
}
