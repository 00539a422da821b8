package io.lakeport.run;

/** Who holds an export's lease: the run, where it runs (host and process id), and since when. */
public record LeaseHolder(String job, String runId, String host, long pid, String since) {
  /** The holder in words, for messages: job, run, host, pid and since. */
  public String describe() {
    return "job "
        + job
        + " run "
        + runId
        + " (host "
        + host
        + ", pid "
        + pid
        + ", since "
        + since
        + ")";
  }
}
