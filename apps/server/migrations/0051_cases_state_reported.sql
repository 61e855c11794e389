-- The console's queues list one state (待受理 = reported, 待派遣 = accepted…) newest first, 50 at a
-- time. Without this index the database read every case in that state and sorted them: ~140 ms with
-- 10,000 open cases in one village on PGlite, against ~10 ms walking this index and stopping at 51.
CREATE INDEX cases_state_reported_idx ON cases (state, reported_at DESC, id DESC);
