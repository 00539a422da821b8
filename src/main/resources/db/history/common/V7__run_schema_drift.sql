-- Schema version 7: how the run's output schema differed from the export it followed, as JSON
-- ({"compared_with": ..., "changes": [{"kind", "column", "before", "after", "action"}]}), written by
-- the process that ran it when the drift check ran (a run it refused included). Null: no previous
-- export to compare with, a run that never got that far, or runs recorded before.
ALTER TABLE runs ADD COLUMN schema_drift VARCHAR(100000);
