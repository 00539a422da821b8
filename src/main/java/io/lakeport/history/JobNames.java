package io.lakeport.history;

/**
 * The job names runs are recorded under: an export job's own name, and {@code <job>.retention} for
 * the runs that apply its retention policy.
 */
public final class JobNames {
  private static final String RETENTION_SUFFIX = ".retention";

  private JobNames() {}

  /** The history job name of {@code job}'s retention runs. */
  public static String retentionOf(String job) {
    return job + RETENTION_SUFFIX;
  }

  /** Whether {@code historyJob} names retention runs. */
  public static boolean isRetention(String historyJob) {
    return historyJob.endsWith(RETENTION_SUFFIX);
  }
}
