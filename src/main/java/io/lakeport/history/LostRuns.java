package io.lakeport.history;

import static io.lakeport.history.Rows.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds runs whose process died without recording how they ended, for {@link RunLog}: a run still
 * {@code running}, held by no scheduler's lock (a scheduler settles its own runs when it restarts
 * or its lock goes stale), whose open attempt ran on this machine in a process that is gone (or
 * whose process id now belongs to a process started after the attempt). Such a run is marked {@code
 * lost} and its attempt ended without an exit code. Runs of other machines are left to those
 * machines.
 */
final class LostRuns {
  private LostRuns() {}

  static List<String> record(Connection c, Worker here, Instant now) throws SQLException {
    List<Attempt> open;
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + prefixed("a.", Rows.ATTEMPT_COLUMNS)
                + " FROM attempts a JOIN runs r ON r.run_id = a.run_id WHERE r.status = 'running' AND a.finished_at IS NULL"
                + " AND a.host = ? AND NOT EXISTS (SELECT 1 FROM locks l WHERE l.run_id = r.run_id)")) {
      open = Rows.all(bind(select, here.host()), Rows::attempt);
    }
    List<String> lost = new ArrayList<>();
    for (Attempt attempt : open) {
      if (alive(attempt)) {
        continue;
      }
      String error =
          "lost: its process (pid "
              + attempt.worker().pid()
              + " on "
              + attempt.worker().host()
              + ") ended without recording how the run ended: killed (SIGKILL), out of"
              + " memory, or the machine stopped. Found at "
              + Rows.stored(now)
              + " by pid "
              + here.pid();
      if (markLost(c, attempt.runId(), now, error)) {
        lost.add(attempt.runId());
      }
    }
    return lost;
  }

  /**
   * Records a running run lost with {@code reason} and ends its open attempt; false when the run
   * was no longer running.
   */
  static boolean markLost(Connection c, String runId, Instant now, String reason)
      throws SQLException {
    String error = RunOutcome.summary(reason);
    try (PreparedStatement run =
        c.prepareStatement(
            "UPDATE runs SET status = 'lost', finished_at = ?, error = ?"
                + " WHERE run_id = ? AND status = 'running'")) {
      if (bind(run, now, error, runId).executeUpdate() == 0) {
        return false;
      }
    }
    try (PreparedStatement end =
        c.prepareStatement(
            "UPDATE attempts SET finished_at = ?, error = ? WHERE run_id = ? AND finished_at IS NULL")) {
      bind(end, now, error, runId).executeUpdate();
    }
    RunLog.counted(c, runId);
    return true;
  }

  /**
   * Whether the attempt's process still runs: its pid is taken by a process started no later than
   * the attempt.
   */
  private static boolean alive(Attempt attempt) {
    return alive(attempt.worker().pid(), attempt.startedAt());
  }

  /**
   * Whether process {@code pid} of this host still runs what it ran at {@code since}: its pid is
   * taken by a process started no later than that.
   */
  static boolean alive(long pid, Instant since) {
    if (pid == ProcessHandle.current().pid()) {
      return true;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    Optional<Instant> started = process.get().info().startInstant();
    // process start times are known to the tick; a reused pid started after the attempt did
    return started.isEmpty() || !started.get().isAfter(since.plusSeconds(1));
  }

  private static String prefixed(String prefix, String columns) {
    return prefix + String.join(", " + prefix, columns.split(",\\s*"));
  }
}
