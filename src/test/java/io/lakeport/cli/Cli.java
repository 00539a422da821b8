package io.lakeport.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the command line as tests call it: a subcommand with a site settings file, output kept. */
final class Cli {
  private Cli() {}

  /**
   * Runs {@code lakeport <command> --site-conf=<site> <rest...>}, printing to {@code out} and
   * {@code err}.
   */
  static int lakeport(Path site, StringWriter out, StringWriter err, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = args[0];
    all[1] = "--site-conf=" + site;
    System.arraycopy(args, 1, all, 2, args.length - 1);
    return Lakeport.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
  }
}
