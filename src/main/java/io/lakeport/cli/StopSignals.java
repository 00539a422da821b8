package io.lakeport.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM ({@code systemctl stop}, {@code docker stop}) and SIGINT (Ctrl-C) into a request to
 * stop, instead of the JVM's shutdown. A stopping scheduler still needs its run history and its
 * Spark session, while shutdown hooks run all at once: H2's closes the history file and Spark's
 * stops the session, so runs cancelled from a hook could not be recorded. A second signal exits at
 * once (through the shutdown hooks). Spark registers its signal handlers the same way.
 */
final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  /** Exit codes of a process ended by a signal are 128 + its number. */
  private static final int SIGNALLED = 128;

  private StopSignals() {}

  /** Runs {@code stop} on the first SIGTERM or SIGINT; a second one exits the JVM. */
  static void onStop(Runnable stop) {
    AtomicBoolean requested = new AtomicBoolean();
    for (String name : SIGNALS) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              if (requested.compareAndSet(false, true)) {
                LOG.info(
                    "SIG{} received: stopping (send it again to exit at once)", signal.getName());
                stop.run();
              } else {
                // exit blocks until the shutdown hooks end: not on the thread that delivers signals
                new Thread(() -> System.exit(SIGNALLED + signal.getNumber()), "lakeport-exit")
                    .start();
              }
            });
      } catch (IllegalArgumentException e) {
        // the JVM keeps this signal (e.g. under -Xrs):
        // the shutdown hook stops the scheduler instead
        LOG.warn(
            "Cannot handle SIG{}: {}; on that signal the scheduler stops from a shutdown hook, and may not"
                + " record the runs it cancels",
            name,
            e.getMessage());
      }
    }
  }
}
