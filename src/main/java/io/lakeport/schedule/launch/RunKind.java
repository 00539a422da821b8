package io.lakeport.schedule.launch;

/**
 * What a launch runs: a job's export ({@code lakeport run}) or its retention ({@code lakeport
 * retention apply}).
 */
public enum RunKind {
  EXPORT,
  RETENTION
}
