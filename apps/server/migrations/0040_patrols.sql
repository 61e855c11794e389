-- Patrols (巡查): patrol plans per grid, patrols with their GPS tracks, check-ins and findings.
-- Tracks and every coordinate of a patrol are sensitive location data (PIPL art. 28): they are stored
-- encrypted (AES-GCM, the field cipher), read only by the worker and their supervisors, every
-- supervisor's read logged in access_log, and deleted after PATROL_TRACK_RETENTION_DAYS.

-- How often a grid is patrolled: one window per required patrol (two windows = twice a day), every
-- day or on working days, from valid_from to valid_to (inclusive; null = open-ended). A grid has at
-- most one plan on any day; a new plan ends the one in force the day before it starts.
CREATE TABLE patrol_plans (
  id           uuid PRIMARY KEY,
  street_id    uuid NOT NULL REFERENCES units(id),
  grid_id      uuid NOT NULL REFERENCES units(id),
  unit_path    text NOT NULL,
  -- [{"start":"08:00","end":"12:00"}, …], China time, non-overlapping
  shifts       jsonb NOT NULL,
  days         text NOT NULL CHECK (days IN ('daily', 'workdays')),
  min_minutes  int NOT NULL CHECK (min_minutes BETWEEN 1 AND 480),
  valid_from   date NOT NULL,
  valid_to     date,
  note         text,
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  journal_seq  int NOT NULL DEFAULT 0,
  version      int NOT NULL DEFAULT 1,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX patrol_plans_path_idx ON patrol_plans (unit_path text_pattern_ops);
CREATE INDEX patrol_plans_grid_idx ON patrol_plans (grid_id, valid_from);

-- One round of a grid by one grid worker. The id is chosen by the phone, so a patrol started
-- without a network is the same patrol when it reaches the server.
CREATE TABLE patrols (
  id               uuid PRIMARY KEY,
  street_id        uuid NOT NULL REFERENCES units(id),
  community_id     uuid REFERENCES units(id),
  grid_id          uuid NOT NULL REFERENCES units(id),
  unit_path        text NOT NULL,
  worker_id        uuid NOT NULL REFERENCES users(id),
  state            text NOT NULL CHECK (state IN ('active', 'ended')),
  started_at       timestamptz NOT NULL,
  ended_at         timestamptz,
  -- worker: ended on the phone; superseded: the worker started another; idle: no sign of life for hours
  end_reason       text CHECK (end_reason IN ('worker', 'superseded', 'idle')),
  note             text,
  checkin_count    int NOT NULL DEFAULT 0,
  finding_count    int NOT NULL DEFAULT 0,
  handled_count    int NOT NULL DEFAULT 0,
  -- derived from the track (not journaled: points may arrive after the end, from a phone that was offline)
  point_count      int NOT NULL DEFAULT 0,
  segment_count    int NOT NULL DEFAULT 0,
  distance_m       double precision NOT NULL DEFAULT 0,
  last_point_at    timestamptz,
  -- AES-GCM of {"lng","lat","accuracy"}: where the worker was last seen (the live map's patrol layer)
  last_position_enc text,
  track_purged_at  timestamptz,
  received_at      timestamptz NOT NULL DEFAULT now(),
  journal_seq      int NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
-- a worker walks one round at a time
CREATE UNIQUE INDEX patrols_one_active_per_worker ON patrols (worker_id) WHERE state = 'active';
CREATE INDEX patrols_path_started_idx ON patrols (unit_path text_pattern_ops, started_at);
CREATE INDEX patrols_grid_started_idx ON patrols (grid_id, started_at);
CREATE INDEX patrols_worker_started_idx ON patrols (worker_id, started_at DESC);
CREATE INDEX patrols_active_idx ON patrols (street_id) WHERE state = 'active';
CREATE INDEX patrols_purge_idx ON patrols (ended_at) WHERE track_purged_at IS NULL;

-- The track, as the phone sent it: one row per batch, the batch's Idempotency-Key its key, the fixes
-- encrypted together ([[epoch ms, lng, lat, accuracy|null], …]). A repeated batch changes nothing.
CREATE TABLE patrol_point_batches (
  patrol_id     uuid NOT NULL REFERENCES patrols(id),
  batch_key     text NOT NULL,
  request_hash  text NOT NULL,
  street_id     uuid NOT NULL REFERENCES units(id),
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL,
  point_count   int NOT NULL,
  points_enc    text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patrol_id, batch_key)
);

-- 打卡: a point of the round visited, at a building or a place; the id is chosen by the phone.
CREATE TABLE patrol_checkins (
  id            uuid PRIMARY KEY,
  patrol_id     uuid NOT NULL REFERENCES patrols(id),
  street_id     uuid NOT NULL REFERENCES units(id),
  at            timestamptz NOT NULL,
  unit_id       uuid REFERENCES units(id),
  label         text,
  note          text,
  request_hash  text NOT NULL,
  -- AES-GCM of {"lng","lat"}; deleted with the track
  location_enc  text,
  received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patrol_checkins_patrol_idx ON patrol_checkins (patrol_id, at);

-- A problem found on the round, which became a case (source patrol) through the case intake. The key
-- is the finding's Idempotency-Key: a repeat completes what a dropped connection interrupted.
CREATE TABLE patrol_findings (
  patrol_id       uuid NOT NULL REFERENCES patrols(id),
  finding_key     text NOT NULL,
  case_id         uuid NOT NULL REFERENCES cases(id),
  street_id       uuid NOT NULL REFERENCES units(id),
  on_the_spot     boolean NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patrol_id, finding_key)
);
CREATE UNIQUE INDEX patrol_findings_case_idx ON patrol_findings (case_id);
