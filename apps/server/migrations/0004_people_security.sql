-- Sign-in security and account administration (MLPS 2.0 level 3, DESIGN.md "Privacy and security"):
-- forced change of an initial password, the TOTP second factor, lockout of sign-in names that match
-- no account, and the security audit log that auditors read (docs/decisions/0200–0204).

ALTER TABLE users
  -- set when an administrator chose the password (new account, reset): the owner must replace it
  ADD COLUMN password_must_change boolean NOT NULL DEFAULT false,
  -- a secret offered by /api/me/totp/setup, waiting for the first code that proves the app holds it
  ADD COLUMN totp_pending_secret_enc text,
  ADD COLUMN totp_enabled_at timestamptz,
  -- the last accepted TOTP time step: the same code is never accepted twice (RFC 6238 §5.2)
  ADD COLUMN totp_last_step bigint,
  ADD COLUMN deactivated_at timestamptz;

CREATE INDEX users_street_idx ON users (street_id);
CREATE INDEX users_home_unit_idx ON users (home_unit_id);
CREATE INDEX sessions_active_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Failed sign-ins under names that match no account. They lock exactly like a real account, so the
-- answer after five failures (423) does not tell an attacker which names exist.
CREATE TABLE login_throttle (
  -- keyed hash (blind index) of the normalised sign-in name: no plain names or numbers stored
  login_key     text PRIMARY KEY,
  failures      int NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The security audit log (安全审计): sign-ins, lockouts, password and second-factor changes, account
-- and permission administration, reveals of personal data. Append-only, kept at least 6 months.
CREATE TABLE security_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  action      text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('success','failure')),
  actor_id    uuid REFERENCES users(id),
  subject_id  uuid REFERENCES users(id),
  -- the unit the event concerns (a grant's unit, else the subject's street): scopes who may read it
  unit_path   text,
  street_id   uuid REFERENCES units(id),
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip          text,
  user_agent  text
);
CREATE INDEX security_events_at_idx ON security_events (at DESC, id DESC);
CREATE INDEX security_events_subject_idx ON security_events (subject_id, at DESC);
CREATE INDEX security_events_path_idx ON security_events (unit_path text_pattern_ops, at DESC);

CREATE FUNCTION security_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'security events are append-only';
END $$;
CREATE TRIGGER security_events_append_only BEFORE UPDATE OR DELETE ON security_events
  FOR EACH ROW EXECUTE FUNCTION security_events_guard();
