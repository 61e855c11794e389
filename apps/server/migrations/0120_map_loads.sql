-- The map index and the screen's counters load at start (docs/decisions/0120). Each load reads its
-- cases through an index in key order, in pages, instead of walking the whole table by id:
-- the open cases by id, the closed ones by the day they closed, the recent ones by the day reported.
CREATE INDEX cases_open_id_idx ON cases (id) WHERE state NOT IN ('closed', 'rejected', 'merged');
CREATE INDEX cases_reported_idx ON cases (reported_at, id);
