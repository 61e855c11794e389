-- Areas and organisations, second step: unit change announcements, organisation versions, and the
-- households each party-member household (党员中心户) serves.

-- Every server process keeps an in-memory grid index (point -> grid) and must hear of every unit
-- change, whoever made it (API, import, seed, plain SQL). NOTIFY is transactional: listeners hear of
-- a change only if, and when, its transaction commits; identical payloads in one transaction fold.
CREATE FUNCTION units_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('minqing_units', OLD.id::text);
  ELSE
    PERFORM pg_notify('minqing_units', NEW.id::text);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER units_announce AFTER INSERT OR UPDATE OR DELETE ON units
  FOR EACH ROW EXECUTE FUNCTION units_notify();

-- Optimistic concurrency for organisation edits, as for units.
ALTER TABLE organisations ADD COLUMN version int NOT NULL DEFAULT 1;

-- A party-member household (党员中心户) looks after a handful of neighbouring households.
CREATE TABLE organisation_households (
  org_id        uuid NOT NULL REFERENCES organisations(id),
  household_id  uuid NOT NULL REFERENCES units(id),
  street_id     uuid REFERENCES units(id),
  linked_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, household_id)
);
CREATE INDEX organisation_households_household_idx ON organisation_households (household_id);
