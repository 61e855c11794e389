-- Collective finances open to every villager (三资/村务公开, DESIGN.md; issue 6): one set of books
-- per collective economic organisation, its chart of accounts, vouchers and their postings, periods,
-- sealed disclosures, villagers' questions, and the 三资 registers (funds, assets, resources,
-- contracts with rent schedules). Amounts are integer fen (bigint), never floating point.

-- One set of books per collective economic organisation: a village (community unit) or a group within
-- it (compound unit: 村民小组/自然村). Opening balances are {account code: signed fen, debit positive}.
CREATE TABLE finance_books (
  id               uuid PRIMARY KEY,
  street_id        uuid NOT NULL REFERENCES units(id),
  unit_id          uuid NOT NULL UNIQUE REFERENCES units(id),
  unit_path        text NOT NULL,
  name             text NOT NULL,
  org_code         text,
  start_month      text NOT NULL CHECK (start_month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  state            text NOT NULL CHECK (state IN ('setup', 'active')),
  opening_balances jsonb NOT NULL DEFAULT '{}'::jsonb,
  chart            text NOT NULL,
  created_by       uuid REFERENCES users(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  version          int NOT NULL DEFAULT 1
);
CREATE INDEX finance_books_path_idx ON finance_books (unit_path text_pattern_ops);

-- The chart of accounts of one book: the standard's accounts (reference data) and the village's
-- sub-accounts (code = parent code + 2 digits). An account once used is never removed (is_used is
-- set by the first posting or opening balance and never cleared); an unused one may be.
CREATE TABLE finance_accounts (
  id           uuid PRIMARY KEY,
  book_id      uuid NOT NULL REFERENCES finance_books(id),
  street_id    uuid NOT NULL REFERENCES units(id),
  code         text NOT NULL CHECK (code ~ '^\d{3}(\d{2}){0,3}$'),
  name         text NOT NULL,
  category     text NOT NULL CHECK (category IN ('asset', 'liability', 'equity', 'cost', 'profit_loss')),
  direction    text NOT NULL CHECK (direction IN ('debit', 'credit')),
  parent_code  text,
  is_standard  boolean NOT NULL,
  state        text NOT NULL CHECK (state IN ('active', 'inactive', 'removed')),
  is_used      boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  version      int NOT NULL DEFAULT 1,
  UNIQUE (book_id, code)
);

-- Accounting months. A voucher's number is given when it is posted, under this row's lock, so the
-- posted vouchers of a month are numbered 1..n without gaps whatever runs concurrently.
CREATE TABLE finance_periods (
  book_id        uuid NOT NULL REFERENCES finance_books(id),
  period         text NOT NULL CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  street_id      uuid NOT NULL REFERENCES units(id),
  state          text NOT NULL CHECK (state IN ('open', 'closed', 'sealed')),
  last_number    int NOT NULL DEFAULT 0,
  closed_by      uuid REFERENCES users(id),
  closed_at      timestamptz,
  disclosure_id  uuid,
  PRIMARY KEY (book_id, period)
);

-- Files behind vouchers and contracts: receipt photos (through the uploads module, re-encoded
-- without metadata) and contracts as PDF (checked by content, stored content-addressed).
CREATE TABLE finance_attachments (
  id           uuid PRIMARY KEY,
  book_id      uuid NOT NULL REFERENCES finance_books(id),
  street_id    uuid NOT NULL REFERENCES units(id),
  kind         text NOT NULL CHECK (kind IN ('image', 'pdf')),
  upload_id    uuid REFERENCES uploads(id),
  blob_key     text,
  sha256       text NOT NULL,
  mime         text NOT NULL,
  bytes        int NOT NULL,
  name         text NOT NULL,
  uploaded_by  uuid REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'image') = (upload_id IS NOT NULL)),
  CHECK ((kind = 'pdf') = (blob_key IS NOT NULL))
);
CREATE INDEX finance_attachments_book_idx ON finance_attachments (book_id, created_at);

-- 记账凭证. lines: [{"account","name","summary","debit","credit"}] in fen, the source of truth that
-- the journal reproduces; finance_postings and finance_balances are derived from posted vouchers.
CREATE TABLE finance_vouchers (
  id             uuid PRIMARY KEY,
  book_id        uuid NOT NULL REFERENCES finance_books(id),
  street_id      uuid NOT NULL REFERENCES units(id),
  unit_path      text NOT NULL,
  period         text NOT NULL CHECK (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  number         int,
  voucher_date   date NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('normal', 'reversal', 'depreciation', 'closing')),
  summary        text NOT NULL,
  lines          jsonb NOT NULL,
  total          bigint NOT NULL CHECK (total > 0),
  handler_name   text,
  attachments    jsonb NOT NULL DEFAULT '[]'::jsonb,
  state          text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'reviewed', 'posted', 'discarded')),
  prepared_by    uuid NOT NULL REFERENCES users(id),
  approved_by    uuid REFERENCES users(id),
  approved_at    timestamptz,
  reviewed_by    uuid REFERENCES users(id),
  reviewed_at    timestamptz,
  review_note    text,
  posted_by      uuid REFERENCES users(id),
  posted_at      timestamptz,
  return_reason  text,
  reverses_id    uuid REFERENCES finance_vouchers(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  version        int NOT NULL DEFAULT 1,
  CHECK ((state = 'posted') = (number IS NOT NULL)),
  UNIQUE (book_id, period, number)
);
CREATE INDEX finance_vouchers_book_period_idx ON finance_vouchers (book_id, period, number);
CREATE INDEX finance_vouchers_book_state_idx ON finance_vouchers (book_id, state, created_at);
-- a posted voucher is corrected once (a second correction corrects the correction)
CREATE UNIQUE INDEX finance_vouchers_one_reversal ON finance_vouchers (reverses_id)
  WHERE reverses_id IS NOT NULL AND state <> 'discarded';

-- The lines of posted vouchers, for ledgers (明细账) and the funds register.
CREATE TABLE finance_postings (
  voucher_id    uuid NOT NULL REFERENCES finance_vouchers(id),
  line_no       int NOT NULL,
  book_id       uuid NOT NULL REFERENCES finance_books(id),
  street_id     uuid NOT NULL REFERENCES units(id),
  period        text NOT NULL,
  number        int NOT NULL,
  voucher_date  date NOT NULL,
  voucher_kind  text NOT NULL,
  account_code  text NOT NULL,
  summary       text NOT NULL,
  debit         bigint NOT NULL CHECK (debit >= 0),
  credit        bigint NOT NULL CHECK (credit >= 0),
  PRIMARY KEY (voucher_id, line_no)
);
CREATE INDEX finance_postings_ledger_idx ON finance_postings (book_id, account_code text_pattern_ops, period, number);

-- Movements per book, account and month: every report reads these (a book of ten years is a few
-- thousand rows, whatever the number of vouchers). closing_* are the year-end closing vouchers'
-- share, which the income statement leaves out.
CREATE TABLE finance_balances (
  book_id         uuid NOT NULL REFERENCES finance_books(id),
  account_code    text NOT NULL,
  period          text NOT NULL,
  street_id       uuid NOT NULL REFERENCES units(id),
  debit           bigint NOT NULL DEFAULT 0,
  credit          bigint NOT NULL DEFAULT 0,
  closing_debit   bigint NOT NULL DEFAULT 0,
  closing_credit  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (book_id, account_code, period)
);
CREATE INDEX finance_balances_period_idx ON finance_balances (book_id, period);

-- 财务公开: a month or a quarter, in the seven categories. content is the sealed disclosure (null
-- until sealed); summary the few totals the public page's charts need without reading content.
CREATE TABLE finance_disclosures (
  id             uuid PRIMARY KEY,
  book_id        uuid NOT NULL REFERENCES finance_books(id),
  street_id      uuid NOT NULL REFERENCES units(id),
  unit_path      text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('month', 'quarter')),
  label          text NOT NULL,
  first_period   text NOT NULL,
  last_period    text NOT NULL,
  state          text NOT NULL CHECK (state IN ('draft', 'reviewed', 'sealed')),
  major_items    jsonb NOT NULL DEFAULT '[]'::jsonb,
  note           text,
  content        jsonb,
  content_hash   text,
  summary        jsonb,
  prepared_by    uuid NOT NULL REFERENCES users(id),
  prepared_at    timestamptz NOT NULL DEFAULT now(),
  reviewed_by    uuid REFERENCES users(id),
  reviewed_at    timestamptz,
  review_note    text,
  sealed_by      uuid REFERENCES users(id),
  sealed_at      timestamptz,
  version        int NOT NULL DEFAULT 1,
  UNIQUE (book_id, kind, label)
);
CREATE INDEX finance_disclosures_sealed_idx ON finance_disclosures (book_id, last_period) WHERE state = 'sealed';

-- 村民意见: questions on a disclosure (or one of its vouchers), answered in public.
CREATE TABLE finance_questions (
  id             uuid PRIMARY KEY,
  book_id        uuid NOT NULL REFERENCES finance_books(id),
  street_id      uuid NOT NULL REFERENCES units(id),
  disclosure_id  uuid NOT NULL REFERENCES finance_disclosures(id),
  voucher_id     uuid REFERENCES finance_vouchers(id),
  asker_id       uuid REFERENCES users(id),
  asker_name     text,
  text           text NOT NULL,
  asked_at       timestamptz NOT NULL DEFAULT now(),
  state          text NOT NULL CHECK (state IN ('open', 'answered')),
  answer         text,
  answered_by    uuid REFERENCES users(id),
  answered_at    timestamptz,
  version        int NOT NULL DEFAULT 1
);
CREATE INDEX finance_questions_disclosure_idx ON finance_questions (disclosure_id, asked_at);
CREATE INDEX finance_questions_book_idx ON finance_questions (book_id, state, asked_at);

-- 资金: cash and bank accounts, each tied to a ledger account; the bank statement balance entered
-- here is reconciled against the books.
CREATE TABLE finance_funds (
  id                 uuid PRIMARY KEY,
  book_id            uuid NOT NULL REFERENCES finance_books(id),
  street_id          uuid NOT NULL REFERENCES units(id),
  kind               text NOT NULL CHECK (kind IN ('cash', 'bank')),
  name               text NOT NULL,
  bank_name          text,
  account_no         text,
  account_code       text NOT NULL,
  statement_balance  bigint,
  statement_date     date,
  is_active          boolean NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  version            int NOT NULL DEFAULT 1,
  UNIQUE (book_id, account_code)
);

-- 资产: fixed assets. Accumulated depreciation = opening_depreciation + posted depreciation runs.
CREATE TABLE finance_assets (
  id                    uuid PRIMARY KEY,
  book_id               uuid NOT NULL REFERENCES finance_books(id),
  street_id             uuid NOT NULL REFERENCES units(id),
  code                  text NOT NULL,
  name                  text NOT NULL,
  category              text NOT NULL CHECK (category IN ('building', 'structure', 'machinery', 'vehicle', 'equipment', 'furniture', 'infrastructure', 'other')),
  is_operating          boolean NOT NULL,
  lng                   double precision,
  lat                   double precision,
  location_text         text,
  original_value        bigint NOT NULL CHECK (original_value >= 0),
  opening_depreciation  bigint NOT NULL DEFAULT 0 CHECK (opening_depreciation >= 0),
  salvage_value         bigint NOT NULL DEFAULT 0 CHECK (salvage_value >= 0),
  useful_life_months    int CHECK (useful_life_months > 0),
  acquired_on           date NOT NULL,
  acquired_how          text NOT NULL CHECK (acquired_how IN ('purchase', 'construction', 'donation', 'allocation', 'other')),
  state                 text NOT NULL CHECK (state IN ('in_use', 'idle', 'let', 'disposed')),
  contract_id           uuid,
  note                  text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  version               int NOT NULL DEFAULT 1,
  UNIQUE (book_id, code),
  CHECK (opening_depreciation + salvage_value <= original_value)
);

-- One depreciation run's share per asset and month; counted once its voucher is posted.
CREATE TABLE finance_depreciation (
  asset_id    uuid NOT NULL REFERENCES finance_assets(id),
  period      text NOT NULL,
  book_id     uuid NOT NULL REFERENCES finance_books(id),
  street_id   uuid NOT NULL REFERENCES units(id),
  amount      bigint NOT NULL CHECK (amount > 0),
  voucher_id  uuid NOT NULL REFERENCES finance_vouchers(id),
  PRIMARY KEY (asset_id, period)
);
CREATE INDEX finance_depreciation_voucher_idx ON finance_depreciation (voucher_id);

-- 资源: land, forest, water surface… with its outline (GeoJSON Polygon/MultiPolygon, WGS-84).
-- Area in hundredths of a mu (亩), an integer like every amount here.
CREATE TABLE finance_resources (
  id              uuid PRIMARY KEY,
  book_id         uuid NOT NULL REFERENCES finance_books(id),
  street_id       uuid NOT NULL REFERENCES units(id),
  code            text NOT NULL,
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('cultivated', 'garden', 'forest', 'grassland', 'water', 'construction', 'wasteland', 'other')),
  area_centimu    bigint NOT NULL CHECK (area_centimu > 0),
  geometry        jsonb,
  certificate_no  text,
  let_how         text NOT NULL CHECK (let_how IN ('contracted', 'leased', 'shareholding', 'self_operated', 'unlet')),
  contract_id     uuid,
  note            text,
  state           text NOT NULL CHECK (state IN ('active', 'disposed')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  version         int NOT NULL DEFAULT 1,
  UNIQUE (book_id, code)
);

-- 合同: letting a resource or an asset, with its rent schedule below.
CREATE TABLE finance_contracts (
  id                 uuid PRIMARY KEY,
  book_id            uuid NOT NULL REFERENCES finance_books(id),
  street_id          uuid NOT NULL REFERENCES units(id),
  unit_path          text NOT NULL,
  code               text NOT NULL,
  title              text NOT NULL,
  counterparty_name  text NOT NULL,
  counterparty_kind  text NOT NULL CHECK (counterparty_kind IN ('person', 'organisation')),
  resource_id        uuid REFERENCES finance_resources(id),
  asset_id           uuid REFERENCES finance_assets(id),
  start_date         date NOT NULL,
  end_date           date NOT NULL,
  total_rent         bigint NOT NULL CHECK (total_rent >= 0),
  document_id        uuid REFERENCES finance_attachments(id),
  state              text NOT NULL CHECK (state IN ('active', 'ended', 'terminated')),
  note               text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  version            int NOT NULL DEFAULT 1,
  UNIQUE (book_id, code),
  CHECK (end_date >= start_date)
);
CREATE INDEX finance_contracts_path_idx ON finance_contracts (unit_path text_pattern_ops);

CREATE TABLE finance_rent_schedule (
  id           uuid PRIMARY KEY,
  contract_id  uuid NOT NULL REFERENCES finance_contracts(id),
  book_id      uuid NOT NULL REFERENCES finance_books(id),
  street_id    uuid NOT NULL REFERENCES units(id),
  unit_path    text NOT NULL,
  due_date     date NOT NULL,
  amount       bigint NOT NULL CHECK (amount > 0),
  paid_amount  bigint NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
  paid_on      date,
  voucher_id   uuid REFERENCES finance_vouchers(id),
  CHECK (paid_amount <= amount)
);
CREATE INDEX finance_rent_schedule_contract_idx ON finance_rent_schedule (contract_id, due_date);
-- the overdue-rent alert: unpaid instalments by due date, under an area
CREATE INDEX finance_rent_schedule_unpaid_idx ON finance_rent_schedule (unit_path text_pattern_ops, due_date)
  WHERE paid_amount < amount;
