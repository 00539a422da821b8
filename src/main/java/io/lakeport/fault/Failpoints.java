package io.lakeport.fault;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Points where tests interrupt a run. A test in the same JVM installs an action for a point; a test
 * driving a child process sets {@code -Dlakeport.failpoint=<point>}, and the process then prints
 * {@code lakeport-failpoint: <point>} to stderr when it gets there and stops, so the test can kill
 * it with SIGKILL at exactly that point. Both are inert in normal runs: one map lookup.
 */
public final class Failpoints {
  /** System property naming the point where a child process stops. */
  public static final String PROPERTY = "io.lakeport.failpoint";

  /** A Spark task committed its output; the others may still be writing. */
  public static final String TASK_COMMITTED = "task-committed";

  /** The run's data is complete in its staging folder; nothing is published yet. */
  public static final String STAGED = "staged";

  /** The run's pending manifest is written; no file has moved yet. */
  public static final String PENDING = "pending";

  /** Publishing has moved one unit (a partition folder or the export) and not the others. */
  public static final String PUBLISHING = "publishing";

  /** The data is published; the manifest is not written yet. */
  public static final String PUBLISHED = "published";

  /**
   * The manifest is written and what the run replaced is gone; {@code _SUCCESS} is not written yet.
   */
  public static final String CLEANED = "cleaned";

  /** Every point of a run's publish, in order. */
  public static final List<String> PUBLISH_POINTS =
      List.of(STAGED, PENDING, PUBLISHING, PUBLISHED, CLEANED);

  private static final Map<String, Runnable> ACTIONS = new ConcurrentHashMap<>();

  private Failpoints() {}

  /** Runs the action installed for {@code point}, or stops here if this process was told to. */
  public static void reach(String point) {
    Runnable action = ACTIONS.get(point);
    if (action != null) {
      action.run();
    }
    if (point.equals(System.getProperty(PROPERTY))) {
      System.err.println("lakeport-failpoint: " + point);
      System.err.flush();
      awaitKill();
    }
  }

  /** Runs {@code action} whenever a run reaches {@code point}, until {@link #clear}. For tests. */
  public static void install(String point, Runnable action) {
    ACTIONS.put(point, action);
  }

  public static void clear() {
    ACTIONS.clear();
  }

  private static void awaitKill() {
    CountDownLatch never = new CountDownLatch(1);
    while (true) {
      try {
        never.await();
      } catch (InterruptedException e) {
        // keep waiting: only the kill ends this
      }
    }
  }
}
