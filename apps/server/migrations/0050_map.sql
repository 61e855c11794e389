-- The 民情地图 (issue 3): indexes for what the map and the big screen read.
-- The map index loads every case still on the map at start: open cases, and closed ones for
-- MAP_CLOSED_DAYS after closing. Without these, that load (and the screen's "closed this month")
-- would read every case ever reported.
CREATE INDEX cases_map_open_idx ON cases (street_id)
  WHERE state NOT IN ('closed', 'rejected', 'merged');
CREATE INDEX cases_closed_at_idx ON cases (closed_at) WHERE closed_at IS NOT NULL;
-- The screen's rolling feed: the latest case entries of one street, newest first.
CREATE INDEX journal_street_type_idx ON journal_entries (street_id, record_type, id);
