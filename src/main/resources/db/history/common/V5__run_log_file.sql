-- Schema version 5: the run's own log file (<lakeport.logs>/<job>/<run id>.log), named by the
-- process that runs it when the run starts. Null: runs recorded before, or a run that never started.
ALTER TABLE runs ADD COLUMN log_file VARCHAR(4000);
