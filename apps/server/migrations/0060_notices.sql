-- 社区公告 (community notices): a notice belongs to a street, community/village or grid and is read by
-- everyone in that unit's subtree, signed in or not. Drafts are the committee's; withdrawn notices leave
-- the public lists but keep their row and their journal chain (docs/decisions/0950).
CREATE TABLE community_notices (
  id              uuid PRIMARY KEY,
  unit_id         uuid NOT NULL REFERENCES units(id),
  street_id       uuid NOT NULL REFERENCES units(id),
  title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
  body            text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
  category        text NOT NULL CHECK (category IN ('notice', 'activity', 'guide', 'urgent')),
  is_pinned       boolean NOT NULL DEFAULT false,
  state           text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'withdrawn')),
  published_at    timestamptz,
  expires_at      timestamptz,
  withdrawn_at    timestamptz,
  withdraw_reason text,
  author_id       uuid NOT NULL REFERENCES users(id),
  version         int NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'draft') = (published_at IS NULL)),
  CHECK ((state = 'withdrawn') = (withdrawn_at IS NOT NULL))
);

-- The public list: a unit's published notices, newest first.
CREATE INDEX community_notices_unit_published ON community_notices (unit_id, published_at DESC)
  WHERE state = 'published';
-- The console's list of a street's notices.
CREATE INDEX community_notices_street ON community_notices (street_id, updated_at DESC);
