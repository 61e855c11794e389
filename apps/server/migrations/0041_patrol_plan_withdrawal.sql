-- A plan replaced before its first day never applies: it is withdrawn by ending it the day before it
-- starts (valid_to = valid_from - 1), which keeps its row and journal for the record.
ALTER TABLE patrol_plans DROP CONSTRAINT patrol_plans_check;
ALTER TABLE patrol_plans ADD CONSTRAINT patrol_plans_valid_range
  CHECK (valid_to IS NULL OR valid_to >= valid_from - 1);
