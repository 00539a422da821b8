-- Schema version 4: one writer per export, across every process and host that shares this history.
-- A run holds its export root's row from before it cleans up until its manifest is written, and
-- renews heartbeat_at while it does. A row whose process is gone (same host) or whose heartbeat is
-- older than lock-ttl (another host) is taken over, and the run that held it is recorded lost.
CREATE TABLE export_leases (
  export_root VARCHAR(1024) NOT NULL PRIMARY KEY,
  job VARCHAR(200) NOT NULL,
  run_id VARCHAR(64) NOT NULL,
  host VARCHAR(255) NOT NULL,
  pid BIGINT NOT NULL,
  acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
  heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);
