-- Schema version 2: a queued run may wait. A retry is queued again with the time its backoff
-- ends; the scheduler starts a queued run only once that time has come. Null: start when free.
ALTER TABLE runs ADD COLUMN not_before TIMESTAMP WITH TIME ZONE;
