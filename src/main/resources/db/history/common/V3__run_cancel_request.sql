-- Schema version 3: a running run can be cancelled from another process. lakeport cancel records
-- who asked and when; the scheduler that holds the run's lock sees the request at its next pass,
-- stops the run and records it cancelled with that reason. Null: nobody asked.
ALTER TABLE runs ADD COLUMN cancel_requested_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE runs ADD COLUMN cancel_requested_by VARCHAR(255);
