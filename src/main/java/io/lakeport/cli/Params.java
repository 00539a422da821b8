package io.lakeport.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --param name=value} options shared by commands that load a job for a run. */
final class Params {
  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = "A job parameter, e.g. --param run_date=2026-11-23 (repeatable).")
  Map<String, String> values = new LinkedHashMap<>();
}
