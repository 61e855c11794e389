-- The staff console's remaining administration: notification templates and merged resident accounts.

-- 通知模板: the text of a notification minqing sends, overridden at a street or community. A child
-- unit uses the nearest ancestor's override, else the shipped default. "Reset" keeps the row (its
-- journal chain) with null texts, meaning "inherit again".
CREATE TABLE notification_templates (
  id          uuid PRIMARY KEY,
  unit_id     uuid NOT NULL REFERENCES units(id),
  street_id   uuid NOT NULL REFERENCES units(id),
  key         text NOT NULL,
  text_zh     text,
  text_en     text,
  version     int NOT NULL DEFAULT 1,
  updated_by  uuid REFERENCES users(id),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (unit_id, key),
  CHECK ((text_zh IS NULL) = (text_en IS NULL))
);

-- 合并重复账号: a resident account merged into the one kept stays (deactivated) and points to it.
ALTER TABLE users ADD COLUMN merged_into_id uuid REFERENCES users(id);
ALTER TABLE users ADD COLUMN merged_at timestamptz;
ALTER TABLE users ADD CONSTRAINT users_not_merged_into_self CHECK (merged_into_id IS NULL OR merged_into_id <> id);
