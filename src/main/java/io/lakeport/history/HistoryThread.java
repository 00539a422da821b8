package io.lakeport.history;

import java.util.concurrent.Executor;

/**
 * Where the history is opened while a run gets ready: a daemon thread of its own per task, so an
 * open that hangs (a database server that does not answer) never keeps the JVM alive.
 */
public final class HistoryThread {
  private static final Executor EXECUTOR =
      work -> {
        Thread thread = new Thread(work, "lakeport-history");
        thread.setDaemon(true);
        thread.start();
      };

  private HistoryThread() {}

  public static Executor executor() {
    return EXECUTOR;
  }
}
