-- Areas (the unit tree), organisations and teams, people, roles and sessions.
-- Every table that grows with use carries street_id so a city-wide deployment can
-- distribute by street (DESIGN.md, "Storage and scale").

CREATE TABLE units (
  id            uuid PRIMARY KEY,
  parent_id     uuid REFERENCES units(id),
  -- the street/township this unit belongs to (itself for a street); null above street level
  street_id     uuid REFERENCES units(id),
  kind          text NOT NULL CHECK (kind IN ('province','city','county','street','community','grid','compound','building','household')),
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  -- materialised path of ancestor ids, '/root/…/self/': a subtree is one prefix scan
  path          text NOT NULL,
  depth         int  NOT NULL,
  geometry      jsonb,
  centroid_lng  double precision,
  centroid_lat  double precision,
  min_lng       double precision,
  min_lat       double precision,
  max_lng       double precision,
  max_lat       double precision,
  attrs         jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       int NOT NULL DEFAULT 1
);
CREATE INDEX units_parent_idx ON units (parent_id);
CREATE INDEX units_path_idx ON units (path text_pattern_ops);
CREATE INDEX units_street_kind_idx ON units (street_id, kind);
-- bounding-box prefilter for point-in-grid on the database side (the server keeps an in-memory index too)
CREATE INDEX units_grid_bbox_idx ON units (min_lng, max_lng, min_lat, max_lat) WHERE kind = 'grid' AND is_active;

CREATE TABLE organisations (
  id          uuid PRIMARY KEY,
  parent_id   uuid REFERENCES organisations(id),
  unit_id     uuid NOT NULL REFERENCES units(id),
  street_id   uuid REFERENCES units(id),
  kind        text NOT NULL CHECK (kind IN (
                'party_working_committee','party_committee','party_branch','building_group','party_member_household',
                'mediation_team','volunteer_team','property_company','sanitation_team','department','committee','other')),
  name        text NOT NULL,
  code        text UNIQUE,
  path        text NOT NULL,
  attrs       jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_active   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisations_unit_idx ON organisations (unit_id);
CREATE INDEX organisations_path_idx ON organisations (path text_pattern_ops);

CREATE TABLE users (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('staff','resident')),
  username        text UNIQUE,
  display_name    text NOT NULL,
  -- phone: AES-GCM ciphertext, an HMAC blind index for lookup, and the masked form for display
  phone_enc       text,
  phone_index     text UNIQUE,
  phone_masked    text,
  password_hash   text,
  failed_logins   int NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  password_changed_at timestamptz,
  totp_secret_enc text,
  household_id    uuid REFERENCES units(id),
  home_unit_id    uuid REFERENCES units(id),
  street_id       uuid REFERENCES units(id),
  is_active       boolean NOT NULL DEFAULT true,
  last_login_at   timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE role_assignments (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users(id),
  role         text NOT NULL CHECK (role IN (
                 'resident','grid_worker','handler','community_admin','street_admin',
                 'bookkeeper','finance_reviewer','auditor','security_officer','system_admin')),
  -- the role covers this unit's subtree
  unit_id      uuid NOT NULL REFERENCES units(id),
  -- handlers act for a responsible organisation (a team, a company, a department)
  org_id       uuid REFERENCES organisations(id),
  granted_by   uuid REFERENCES users(id),
  granted_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX role_assignments_user_idx ON role_assignments (user_id) WHERE revoked_at IS NULL;
CREATE INDEX role_assignments_unit_idx ON role_assignments (unit_id, role) WHERE revoked_at IS NULL;
CREATE INDEX role_assignments_org_idx ON role_assignments (org_id) WHERE revoked_at IS NULL;

CREATE TABLE organisation_members (
  org_id     uuid NOT NULL REFERENCES organisations(id),
  user_id    uuid NOT NULL REFERENCES users(id),
  title      text,
  joined_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);

CREATE TABLE sessions (
  -- SHA-256 of the cookie token: a leaked table does not yield usable cookies
  token_hash     text PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  idle_timeout_s int NOT NULL,
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  ip             text,
  user_agent     text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_codes (
  id          uuid PRIMARY KEY,
  phone_index text NOT NULL,
  code_hash   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  attempts    int NOT NULL DEFAULT 0,
  consumed_at timestamptz
);
CREATE INDEX login_codes_phone_idx ON login_codes (phone_index, created_at DESC);

-- Who read which piece of sensitive personal information, and why (PIPL art. 28; kept >= 6 months).
CREATE TABLE access_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    uuid REFERENCES users(id),
  action      text NOT NULL,
  record_type text NOT NULL,
  record_id   text NOT NULL,
  fields      text[] NOT NULL DEFAULT '{}',
  purpose     text,
  ip          text
);
CREATE INDEX access_log_record_idx ON access_log (record_type, record_id);
CREATE INDEX access_log_actor_idx ON access_log (actor_id, at);

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
