-- The closed-loop case workflow (发现-上报-处置-回访) and the verifiable journal.

CREATE TABLE case_categories (
  code                 text PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),   -- GB/T 30428.2 shape: 2-digit major + 2-digit minor
  major_code           text NOT NULL CHECK (major_code ~ '^[0-9]{2}$'),
  name_zh              text NOT NULL,
  name_en              text NOT NULL,
  major_name_zh        text NOT NULL,
  major_name_en        text NOT NULL,
  acceptance_standard  text NOT NULL DEFAULT '',
  closure_standard     text NOT NULL DEFAULT '',
  -- {"accept": {"amount": 2, "unit": "working_hours"}, "handle": {"normal": {...}, "urgent": {...}}, "follow_up": {...}}
  time_limits          jsonb NOT NULL,
  default_org_kind     text,
  -- disputes and personal help: shown on the public map only at their grid's centre, never with details
  is_sensitive         boolean NOT NULL DEFAULT false,
  icon                 text,
  sort                 int NOT NULL DEFAULT 0,
  is_active            boolean NOT NULL DEFAULT true,
  updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE routing_rules (
  id            uuid PRIMARY KEY,
  -- a minor code '0102', a major code '01', or '*' for every category
  category      text NOT NULL CHECK (category ~ '^([0-9]{2}|[0-9]{4}|\*)$'),
  -- the rule applies to cases inside this unit's subtree
  unit_id       uuid NOT NULL REFERENCES units(id),
  org_id        uuid NOT NULL REFERENCES organisations(id),
  note          text,
  is_active     boolean NOT NULL DEFAULT true,
  created_by    uuid REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_rules_unit_idx ON routing_rules (unit_id) WHERE is_active;

-- Exceptions to the weekday rule: public holidays (is_workday=false) and make-up working days (调休, true).
CREATE TABLE calendar_days (
  day         date PRIMARY KEY,
  is_workday  boolean NOT NULL,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  source      text
);

CREATE SEQUENCE case_number_seq;

CREATE TABLE cases (
  id                uuid PRIMARY KEY,
  code              text NOT NULL UNIQUE,
  street_id         uuid NOT NULL REFERENCES units(id),
  community_id      uuid REFERENCES units(id),
  -- null: outside every grid, waiting in the community's (or street's) queue for manual assignment
  grid_id           uuid REFERENCES units(id),
  unit_path         text NOT NULL,
  category_code     text NOT NULL REFERENCES case_categories(code),
  priority          text NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal','urgent')),
  source            text NOT NULL CHECK (source IN ('patrol','resident','hotline','staff','diary','council','open311','public')),
  state             text NOT NULL CHECK (state IN ('reported','accepted','rejected','dispatched','in_progress','handled','follow_up','closed','merged')),
  description       text NOT NULL,
  address           text,
  lng               double precision,
  lat               double precision,
  reporter_id       uuid REFERENCES users(id),
  reporter_name     text,
  reporter_phone_enc text,
  reporter_phone_masked text,
  is_public_anonymous boolean NOT NULL DEFAULT false,
  org_id            uuid REFERENCES organisations(id),
  assignee_id       uuid REFERENCES users(id),
  reported_at       timestamptz NOT NULL,
  accepted_at       timestamptz,
  dispatched_at     timestamptz,
  started_at        timestamptz,
  handled_at        timestamptz,
  verified_at       timestamptz,
  closed_at         timestamptz,
  -- the deadline of the current stage, and when the scheduler must next look at the case
  due_at            timestamptz,
  handle_due_at     timestamptz,
  next_check_at     timestamptz,
  reminded_at       timestamptz,
  escalation_level  int NOT NULL DEFAULT 0,
  escalated_to_unit_id uuid REFERENCES units(id),
  was_overdue       boolean NOT NULL DEFAULT false,
  rework_count      int NOT NULL DEFAULT 0,
  rating            text CHECK (rating IN ('satisfied','basically_satisfied','unsatisfied')),
  merged_into_id    uuid REFERENCES cases(id),
  result_summary    text,
  reject_reason     text,
  journal_seq       int NOT NULL DEFAULT 0,
  version           int NOT NULL DEFAULT 1,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_street_reported_idx ON cases (street_id, reported_at DESC, id DESC);
CREATE INDEX cases_path_idx ON cases (unit_path text_pattern_ops, reported_at DESC);
CREATE INDEX cases_grid_state_idx ON cases (grid_id, state);
CREATE INDEX cases_community_state_idx ON cases (community_id, state);
CREATE INDEX cases_org_state_idx ON cases (org_id, state);
CREATE INDEX cases_reporter_idx ON cases (reporter_id, reported_at DESC);
CREATE INDEX cases_next_check_idx ON cases (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX cases_geo_idx ON cases (lng, lat);

CREATE TABLE uploads (
  id           uuid PRIMARY KEY,
  sha256       text NOT NULL,
  mime         text NOT NULL,
  bytes        int NOT NULL,
  width        int NOT NULL,
  height       int NOT NULL,
  -- the original keeps its metadata for staff (evidence); the public copy and thumbnail have none
  original_key text NOT NULL,
  public_key   text NOT NULL,
  thumb_key    text NOT NULL,
  had_location boolean NOT NULL DEFAULT false,
  uploaded_by  uuid REFERENCES users(id),
  street_id    uuid REFERENCES units(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX uploads_sha_idx ON uploads (sha256);

CREATE TABLE case_photos (
  case_id    uuid NOT NULL REFERENCES cases(id),
  upload_id  uuid NOT NULL REFERENCES uploads(id),
  stage      text NOT NULL CHECK (stage IN ('report','before','after','verify')),
  added_by   uuid REFERENCES users(id),
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, upload_id)
);

CREATE TABLE notifications (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id),
  kind        text NOT NULL,
  record_type text,
  record_id   uuid,
  title_zh    text NOT NULL,
  title_en    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

-- A repeated request with the same Idempotency-Key returns the first answer instead of acting twice.
CREATE TABLE idempotency_keys (
  actor_key     text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status        int NOT NULL,
  response      jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (actor_key, key)
);

-- The journal: append-only, one hash chain per record, sealed in Merkle batches chained per street.
CREATE TABLE journal_entries (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  street_id    uuid NOT NULL,
  record_type  text NOT NULL,
  record_id    uuid NOT NULL,
  seq          int NOT NULL,
  action       text NOT NULL,
  actor_id     uuid,
  actor_role   text,
  at           timestamptz NOT NULL,
  payload      jsonb NOT NULL,
  prev_hash    text,
  hash         text NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- set once by the sealer; not part of the entry's hash
  batch_id     bigint,
  leaf_index   int,
  UNIQUE (record_type, record_id, seq)
);
CREATE INDEX journal_unsealed_idx ON journal_entries (street_id, id) WHERE batch_id IS NULL;
CREATE INDEX journal_batch_idx ON journal_entries (batch_id, leaf_index);

CREATE TABLE journal_batches (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  street_id       uuid NOT NULL,
  seq             int NOT NULL,
  size            int NOT NULL,
  merkle_root     text NOT NULL,
  prev_head_hash  text,
  head_hash       text NOT NULL,
  first_entry_id  bigint NOT NULL,
  last_entry_id   bigint NOT NULL,
  sealed_at       timestamptz NOT NULL,
  key_id          text NOT NULL,
  signature       text NOT NULL,
  UNIQUE (street_id, seq)
);

CREATE TABLE signing_keys (
  key_id      text PRIMARY KEY,
  algorithm   text NOT NULL,
  public_key  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);

-- The journal is append-only: entries may only gain their batch once, never change or disappear.
CREATE FUNCTION journal_entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'journal entries are append-only (delete of entry %)', OLD.id;
  END IF;
  IF OLD.batch_id IS NOT NULL
     OR NEW.street_id IS DISTINCT FROM OLD.street_id OR NEW.record_type IS DISTINCT FROM OLD.record_type
     OR NEW.record_id IS DISTINCT FROM OLD.record_id OR NEW.seq IS DISTINCT FROM OLD.seq
     OR NEW.action IS DISTINCT FROM OLD.action OR NEW.actor_id IS DISTINCT FROM OLD.actor_id
     OR NEW.actor_role IS DISTINCT FROM OLD.actor_role OR NEW.at IS DISTINCT FROM OLD.at
     OR NEW.payload IS DISTINCT FROM OLD.payload OR NEW.prev_hash IS DISTINCT FROM OLD.prev_hash
     OR NEW.hash IS DISTINCT FROM OLD.hash OR NEW.committed_at IS DISTINCT FROM OLD.committed_at THEN
    RAISE EXCEPTION 'journal entries are append-only (update of entry %)', OLD.id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION journal_entries_guard();

CREATE FUNCTION journal_batches_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal batches are append-only';
END $$;
CREATE TRIGGER journal_batches_append_only BEFORE UPDATE OR DELETE ON journal_batches
  FOR EACH ROW EXECUTE FUNCTION journal_batches_guard();

-- Every committed journal entry is announced to every server process (live map, SSE). NOTIFY is
-- transactional: listeners hear of an entry only if, and when, its transaction commits.
CREATE FUNCTION journal_entries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('minqing_journal', json_build_object(
    'id', NEW.id, 'street', NEW.street_id, 'type', NEW.record_type, 'record', NEW.record_id,
    'seq', NEW.seq, 'action', NEW.action)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER journal_entries_announce AFTER INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION journal_entries_notify();
