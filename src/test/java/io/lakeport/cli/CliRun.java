package io.lakeport.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A {@code lakeport} command run in this JVM with a test site: its exit code, stdout and stderr.
 */
record CliRun(int code, String out, String err) {
  /** Runs {@code lakeport <args...> --site-conf=<site>} now. */
  static CliRun of(Path site, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--site-conf=" + site;
    int code =
        Lakeport.execute(
            Clock.systemUTC(), new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new CliRun(code, out.toString(), err.toString());
  }
}
