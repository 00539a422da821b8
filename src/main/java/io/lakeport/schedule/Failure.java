package io.lakeport.schedule;

import io.lakeport.failure.ExitCode;

/** How a run failed, from the exit code of {@code lakeport run} or the scheduler's own timeout. */
public enum Failure {
  /** A mistake in the job file or the command (exit 2): it fails the same way every time. */
  CONFIG,
  /** A failure outside Lakeport (exit 3): storage, Spark, the network; it may pass. */
  EXTERNAL,
  /** The job's schema-drift policy refused to publish (exit 5): a decision, never retried. */
  REFUSED,
  /** A bug (exit 1), or a run that ended without one of Lakeport's exit codes (killed, crashed). */
  BUG,
  /** The run took longer than the schedule's timeout and was stopped. */
  TIMEOUT;

  /** The failure an exit code of {@code lakeport run} stands for; 0 is a success, not a failure. */
  public static Failure ofExitCode(int exitCode) {
    if (exitCode == ExitCode.OK.code()) {
      throw new IllegalArgumentException("exit code 0 is a success, not a failure");
    }
    if (exitCode == ExitCode.USER.code()) {
      return CONFIG;
    }
    if (exitCode == ExitCode.REFUSED.code()) {
      return REFUSED;
    }
    return exitCode == ExitCode.EXTERNAL.code() ? EXTERNAL : BUG;
  }
}
