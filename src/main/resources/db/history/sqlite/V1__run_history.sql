-- The run history, schema version 1, for SQLite (3.35 and later): the H2 and PostgreSQL schema
-- (../standard) with SQLite's row ids for identities. SQLite keeps any declared type; times
-- are written as text, UTC ISO-8601 to the microsecond with a fixed width, so that they compare
-- and sort as times (io.lakeport.history.Rows).

-- A job's runtime state as the scheduler keeps it, beside what its job file says.
CREATE TABLE schedule_state (
  job VARCHAR(200) NOT NULL PRIMARY KEY,
  -- true or false overrides the job file's schedule; null follows it
  enabled BOOLEAN,
  paused_until TIMESTAMP WITH TIME ZONE,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One run of a job: scheduled (for a slot), manual, a backfill window or a retry.
CREATE TABLE runs (
  run_id VARCHAR(64) NOT NULL PRIMARY KEY,
  job VARCHAR(200) NOT NULL,
  -- the scheduled time the run is for; null for runs nobody scheduled
  slot_time TIMESTAMP WITH TIME ZONE,
  -- schedule | manual | backfill | retry
  run_trigger VARCHAR(16) NOT NULL,
  -- the run's params as a JSON object of strings, secret-looking ones masked
  params VARCHAR(100000) NOT NULL,
  -- queued | running | succeeded | failed | skipped | cancelled | interrupted
  status VARCHAR(16) NOT NULL,
  queued_at TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE,
  finished_at TIMESTAMP WITH TIME ZONE,
  rows_written BIGINT,
  bytes_written BIGINT,
  files_written BIGINT,
  manifest VARCHAR(4000),
  error VARCHAR(4000),
  -- a slot fires once: a second run for the same job and time cannot be inserted
  CONSTRAINT runs_one_per_slot UNIQUE (job, slot_time)
);
CREATE INDEX runs_by_job ON runs (job, queued_at);
CREATE INDEX runs_by_status ON runs (status);

-- Each time a run was started: the first attempt, then retries.
CREATE TABLE attempts (
  run_id VARCHAR(64) NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE,
  exit_code INTEGER,
  error VARCHAR(4000),
  host VARCHAR(255) NOT NULL,
  pid BIGINT NOT NULL,
  PRIMARY KEY (run_id, attempt)
);

-- At most one active run per job: the row is the lock; a stale heartbeat lets another take it.
CREATE TABLE locks (
  job VARCHAR(200) NOT NULL PRIMARY KEY,
  run_id VARCHAR(64) NOT NULL,
  owner VARCHAR(255) NOT NULL,
  acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
  heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Where incremental jobs got to, one row per change; the newest row of a job is its watermark.
CREATE TABLE watermarks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job VARCHAR(200) NOT NULL,
  -- watermark | change-feed
  mode VARCHAR(32) NOT NULL,
  reached VARCHAR(1000) NOT NULL,
  run_id VARCHAR(64) REFERENCES runs (run_id) ON DELETE SET NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX watermarks_by_job ON watermarks (job, updated_at);

-- Every delivery attempt of a notification about a run.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id VARCHAR(64) NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  channel VARCHAR(32) NOT NULL,
  -- where it went, with anything secret-looking masked
  target VARCHAR(1000) NOT NULL,
  attempt INTEGER NOT NULL,
  -- sent | failed
  status VARCHAR(16) NOT NULL,
  error VARCHAR(4000),
  sent_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX notifications_by_run ON notifications (run_id);
