-- The performance figures need to know, long after a case was accepted, whether it was accepted in time
-- (响应率). The acceptance deadline is the case's first due_at; keep it when the case is reported.
ALTER TABLE cases ADD COLUMN accept_due_at timestamptz;

CREATE FUNCTION cases_keep_accept_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.accept_due_at IS NULL AND NEW.state = 'reported' THEN
    NEW.accept_due_at := NEW.due_at;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cases_accept_due BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION cases_keep_accept_due();

-- Figures are asked per street and period.
CREATE INDEX cases_street_category_idx ON cases (street_id, category_code, reported_at);
