-- The case workflow's own bookkeeping beyond 0002.

-- Who submitted the handling result: the on-site check (核查) must be made by someone else, and the
-- list of allowed actions needs to know that without reading the journal.
ALTER TABLE cases ADD COLUMN handled_by uuid REFERENCES users(id);

-- The scheduler scans each street's due cases on its own when asked to (tests, and a city-wide
-- deployment distributed by street).
CREATE INDEX cases_street_next_check_idx ON cases (street_id, next_check_at) WHERE next_check_at IS NOT NULL;
