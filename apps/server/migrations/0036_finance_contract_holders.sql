-- Contracts' holders (承包/承租方) as personal data, rent receipts, and how a schedule was generated.
--
-- A person's name, ID number and phone are encrypted with the field cipher (AES-256-GCM, like a
-- user's phone); counterparty_name keeps only what anybody may see: the masked name (张*) of a
-- person, the full name of an organisation. The journal's payload never carries the plaintext.
ALTER TABLE finance_contracts
  ADD COLUMN counterparty_name_enc   text,
  ADD COLUMN counterparty_id_enc     text,
  ADD COLUMN counterparty_phone_enc  text,
  ADD COLUMN frequency               text CHECK (frequency IN ('year', 'half_year', 'quarter', 'custom')),
  ADD COLUMN annual_rent             bigint CHECK (annual_rent >= 0);

-- 收租记录: each receipt against an instalment (partial receipts allowed), optionally a posted voucher.
CREATE TABLE finance_rent_receipts (
  id             uuid PRIMARY KEY,
  contract_id    uuid NOT NULL REFERENCES finance_contracts(id),
  instalment_id  uuid NOT NULL REFERENCES finance_rent_schedule(id),
  book_id        uuid NOT NULL REFERENCES finance_books(id),
  amount         bigint NOT NULL CHECK (amount > 0),
  paid_on        date NOT NULL,
  voucher_id     uuid REFERENCES finance_vouchers(id),
  recorded_by    uuid NOT NULL REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX finance_rent_receipts_contract_idx ON finance_rent_receipts (contract_id, paid_on);
CREATE INDEX finance_rent_receipts_voucher_idx ON finance_rent_receipts (voucher_id) WHERE voucher_id IS NOT NULL;
