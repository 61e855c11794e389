-- The staff console's own records: saved workbench filters and journal verification runs.

-- A person's saved workbench filters (the console's "saved searches"); private to their owner.
CREATE TABLE console_saved_filters (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id),
  name        text NOT NULL,
  query       jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, name)
);

-- Journal verification runs started from the console: the progress lives here, so that any server
-- process can answer the progress bar's polling, and the outcome stays on record.
CREATE TABLE console_verification_runs (
  id           uuid PRIMARY KEY,
  street_id    uuid NOT NULL REFERENCES units(id),
  started_by   uuid NOT NULL REFERENCES users(id),
  status       text NOT NULL CHECK (status IN ('running','passed','failed','error')),
  phase        text NOT NULL CHECK (phase IN ('starting','entries','projections','done')),
  checked      bigint NOT NULL DEFAULT 0,
  total        bigint NOT NULL DEFAULT 0,
  started_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  report       jsonb,
  error        text
);
CREATE INDEX console_verification_runs_street_idx ON console_verification_runs (street_id, started_at DESC);
