-- Schema version 9: the inputs of a run of a job with several (sources { ... } combined by a join
-- or union), as JSON: [{"name", "format", "location", "version", "rows_read", "up_to"}], written by
-- the process that ran it when the run succeeded. Null: a job of one source (its manifest's source
-- says what it read), a run that did not publish, or runs recorded before.
ALTER TABLE runs ADD COLUMN inputs VARCHAR(100000);
