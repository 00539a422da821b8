-- Schema version 8: the alerts the scheduler raised (a job's alerts block): a run slower than its
-- limit (run-slow), a scheduled window not published by its deadline (export-late), too many
-- failed attempts in a period (failure-rate), a run that wrote far fewer rows than the one before
-- (rows-dropped). At most one per job, kind and window (the slot, run or period it is about), so
-- each is raised once; a good run clears it (cleared_at, cleared_by: that run's id).
CREATE TABLE alerts (
  job VARCHAR(200) NOT NULL,
  -- run-slow | export-late | failure-rate | rows-dropped
  kind VARCHAR(32) NOT NULL,
  -- the slot (ISO instant), "run <id>" for a run without one, or the period's start
  window_key VARCHAR(100) NOT NULL,
  -- the run it is about; for export-late the id the slot's run has (or will have)
  run_id VARCHAR(64),
  logical_date VARCHAR(32),
  opened_at TIMESTAMP WITH TIME ZONE NOT NULL,
  cleared_at TIMESTAMP WITH TIME ZONE,
  cleared_by VARCHAR(64),
  detail VARCHAR(4000) NOT NULL,
  PRIMARY KEY (job, kind, window_key)
);
CREATE INDEX alerts_by_clearing ON alerts (cleared_at);

-- Each try of a notification about an alert, as notifications holds them for runs (an alert may
-- have no run: an export-late window nothing ran for).
CREATE TABLE alert_notifications (
  job VARCHAR(200) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  window_key VARCHAR(100) NOT NULL,
  channel VARCHAR(32) NOT NULL,
  target VARCHAR(1000) NOT NULL,
  attempt INTEGER NOT NULL,
  -- sent | failed
  status VARCHAR(16) NOT NULL,
  error VARCHAR(4000),
  sent_at TIMESTAMP WITH TIME ZONE NOT NULL,
  FOREIGN KEY (job, kind, window_key) REFERENCES alerts (job, kind, window_key) ON DELETE CASCADE
);
CREATE INDEX alert_notifications_by_alert ON alert_notifications (job, kind, window_key);
