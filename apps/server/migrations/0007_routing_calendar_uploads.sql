-- Routing rules, categories, the working calendar and photo uploads: the bookkeeping beyond 0002.

-- One active rule per unit and category: two rules saying different things about the same place and
-- category would leave the answer to chance. Deactivated rules stay as history.
CREATE UNIQUE INDEX routing_rules_active_unique ON routing_rules (unit_id, category) WHERE is_active;
-- Optimistic concurrency for rule and category edits, as for units and organisations.
ALTER TABLE routing_rules ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE case_categories ADD COLUMN version int NOT NULL DEFAULT 1;

-- Who last changed an exception day, and when (the shipped reference data has neither).
ALTER TABLE calendar_days ADD COLUMN updated_by uuid REFERENCES users(id);
ALTER TABLE calendar_days ADD COLUMN updated_at timestamptz;

-- Whether a year's schedule is the State Council's published notice or a provisional placement of the
-- statutory holidays, as imported. Years without a row fall back to the shipped reference file.
CREATE TABLE calendar_years (
  year         int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  status       text NOT NULL CHECK (status IN ('official', 'provisional')),
  source       text NOT NULL,
  note         text,
  imported_by  uuid REFERENCES users(id),
  imported_at  timestamptz NOT NULL DEFAULT now()
);

-- Every server process caches routing answers and the working calendar, and must hear of every change
-- whoever made it (API, import, seed, plain SQL). One announcement per statement is enough: the
-- listeners drop their whole cache, and identical payloads in one transaction fold into one.
CREATE FUNCTION routing_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('minqing_routing', TG_TABLE_NAME);
  RETURN NULL;
END $$;
CREATE TRIGGER routing_rules_announce AFTER INSERT OR UPDATE OR DELETE ON routing_rules
  FOR EACH STATEMENT EXECUTE FUNCTION routing_notify();
-- a category's major code and default organisation kind decide routing too
CREATE TRIGGER case_categories_announce AFTER INSERT OR UPDATE OR DELETE ON case_categories
  FOR EACH STATEMENT EXECUTE FUNCTION routing_notify();
-- an organisation that closes, moves or changes kind no longer answers for the same cases
CREATE TRIGGER organisations_routing_announce AFTER INSERT OR UPDATE OR DELETE ON organisations
  FOR EACH STATEMENT EXECUTE FUNCTION routing_notify();

CREATE FUNCTION calendar_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('minqing_calendar', TG_TABLE_NAME);
  RETURN NULL;
END $$;
CREATE TRIGGER calendar_days_announce AFTER INSERT OR UPDATE OR DELETE ON calendar_days
  FOR EACH STATEMENT EXECUTE FUNCTION calendar_notify();

-- The same bytes uploaded twice by the same person (or twice by the public) are one upload, even
-- when the two requests race.
CREATE UNIQUE INDEX uploads_owner_sha_unique ON uploads (sha256, uploaded_by) NULLS NOT DISTINCT;
-- Which cases show a photo: the photo's visibility follows theirs.
CREATE INDEX case_photos_upload_idx ON case_photos (upload_id);
