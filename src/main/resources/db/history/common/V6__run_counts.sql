-- Schema version 6: what ended runs add up to, kept apart from the runs so that it only grows:
-- pruning old runs (lakeport history prune, lakeport.history.keep) and restarts leave it as it is.
-- Each end of a run (succeeded, failed, skipped, cancelled, interrupted, lost) adds to its job's
-- row for that outcome and to its duration's bucket, in the transaction that records the end; a
-- run that failed and was retried counts once for each end. /metrics reads these rows
-- (lakeport_runs_finished_total and the other counters) instead of the runs.
-- The placeholder run_seconds is a run's duration in seconds in this database's SQL
-- (HistoryDatabase.RUN_SECONDS).
CREATE TABLE run_counts (
  job VARCHAR(200) NOT NULL,
  -- succeeded | failed | skipped | cancelled | interrupted | lost
  outcome VARCHAR(16) NOT NULL,
  runs BIGINT NOT NULL,
  rows_written BIGINT NOT NULL,
  bytes_written BIGINT NOT NULL,
  files_written BIGINT NOT NULL,
  -- the sum of the durations, start to end, of the runs that started
  duration_seconds DOUBLE PRECISION NOT NULL,
  last_finished_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (job, outcome)
);

-- Ended runs that started, by job and by the bucket their duration falls in: le is the bucket's
-- upper bound in seconds as the metric spells it (1, 5, ... 21600, +Inf; not cumulative here).
CREATE TABLE run_durations (
  job VARCHAR(200) NOT NULL,
  le VARCHAR(16) NOT NULL,
  runs BIGINT NOT NULL,
  PRIMARY KEY (job, le)
);

-- The runs already in the history, as if each had been counted when it ended.
INSERT INTO run_counts
SELECT job, status, COUNT(*), COALESCE(SUM(rows_written), 0), COALESCE(SUM(bytes_written), 0),
  COALESCE(SUM(files_written), 0),
  COALESCE(SUM(CASE WHEN started_at IS NULL OR finished_at IS NULL THEN 0 ELSE ${run_seconds} END), 0),
  MAX(finished_at)
FROM runs
WHERE status IN ('succeeded', 'failed', 'skipped', 'cancelled', 'interrupted', 'lost')
GROUP BY job, status;

INSERT INTO run_durations
SELECT job, le, COUNT(*) FROM (
  SELECT job, CASE
      WHEN ${run_seconds} <= 1 THEN '1'
      WHEN ${run_seconds} <= 5 THEN '5'
      WHEN ${run_seconds} <= 15 THEN '15'
      WHEN ${run_seconds} <= 30 THEN '30'
      WHEN ${run_seconds} <= 60 THEN '60'
      WHEN ${run_seconds} <= 120 THEN '120'
      WHEN ${run_seconds} <= 300 THEN '300'
      WHEN ${run_seconds} <= 600 THEN '600'
      WHEN ${run_seconds} <= 1800 THEN '1800'
      WHEN ${run_seconds} <= 3600 THEN '3600'
      WHEN ${run_seconds} <= 7200 THEN '7200'
      WHEN ${run_seconds} <= 21600 THEN '21600'
      ELSE '+Inf' END AS le
  FROM runs
  WHERE status IN ('succeeded', 'failed', 'skipped', 'cancelled', 'interrupted', 'lost')
    AND started_at IS NOT NULL AND finished_at IS NOT NULL
) ended
GROUP BY job, le;

-- What /metrics counts by job and status, read from the index alone; and the runs pruning finds.
CREATE INDEX runs_by_job_status ON runs (job, status);
CREATE INDEX runs_by_end ON runs (finished_at);
