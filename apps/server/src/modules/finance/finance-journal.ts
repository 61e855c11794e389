import type { Db } from '../../db/database.ts';
import {
  appendEntry,
  insertEntries,
  NEW_RECORD,
  prepareEntry,
  type JournalEvent,
} from '../journal/append-entry.ts';
import { registerJournalRecordType } from '../journal/record-types.ts';
import { canReadBook } from './policy.ts';
import { findBookAccessOf } from './repository.ts';

/**
 * The finance records in the journal (DESIGN.md, "The journal"). Each record has its own chain: a
 * book (its opening, opening balances, start, period closes), each account, each voucher (drafted,
 * submitted, approved, reviewed, posted), each disclosure (prepared, reviewed, sealed — the seal
 * carries the whole disclosure), each question and each register entry. `payload.set` holds the
 * columns each event changed, so `minqing verify` proves every row matches its history: a voucher
 * edited in SQL after sealing is named there, and in the browser by the seal's voucher digests.
 */
export const FINANCE_RECORD_TYPES = {
  book: 'finance_book',
  account: 'finance_account',
  voucher: 'finance_voucher',
  disclosure: 'finance_disclosure',
  question: 'finance_question',
  fund: 'finance_fund',
  asset: 'finance_asset',
  resource: 'finance_resource',
  contract: 'finance_contract',
} as const;
export type FinanceRecordType = (typeof FINANCE_RECORD_TYPES)[keyof typeof FINANCE_RECORD_TYPES];

export const PROJECTED_COLUMNS: Record<FinanceRecordType, readonly string[]> = {
  finance_book: [
    'street_id',
    'unit_id',
    'unit_path',
    'name',
    'org_code',
    'start_month',
    'state',
    'opening_balances',
    'chart',
    'created_by',
    'started_at',
    'version',
  ],
  finance_account: [
    'book_id',
    'street_id',
    'code',
    'name',
    'category',
    'direction',
    'parent_code',
    'is_standard',
    'state',
    'version',
  ],
  finance_voucher: [
    'book_id',
    'street_id',
    'unit_path',
    'period',
    'number',
    'voucher_date',
    'kind',
    'summary',
    'lines',
    'total',
    'handler_name',
    'attachments',
    'state',
    'prepared_by',
    'approved_by',
    'approved_at',
    'reviewed_by',
    'reviewed_at',
    'review_note',
    'posted_by',
    'posted_at',
    'return_reason',
    'reverses_id',
    'version',
  ],
  finance_disclosure: [
    'book_id',
    'street_id',
    'unit_path',
    'kind',
    'label',
    'first_period',
    'last_period',
    'state',
    'major_items',
    'note',
    'content',
    'content_hash',
    'summary',
    'prepared_by',
    'reviewed_by',
    'reviewed_at',
    'review_note',
    'sealed_by',
    'sealed_at',
    'version',
  ],
  finance_question: [
    'book_id',
    'street_id',
    'disclosure_id',
    'voucher_id',
    'asker_id',
    'asker_name',
    'text',
    'state',
    'answer',
    'answered_by',
    'answered_at',
    'version',
  ],
  finance_fund: [
    'book_id',
    'street_id',
    'kind',
    'name',
    'bank_name',
    'account_no',
    'account_code',
    'statement_balance',
    'statement_date',
    'is_active',
    'version',
  ],
  finance_asset: [
    'book_id',
    'street_id',
    'code',
    'name',
    'category',
    'is_operating',
    'lng',
    'lat',
    'location_text',
    'original_value',
    'opening_depreciation',
    'salvage_value',
    'useful_life_months',
    'acquired_on',
    'acquired_how',
    'state',
    'contract_id',
    'note',
    'version',
  ],
  finance_resource: [
    'book_id',
    'street_id',
    'code',
    'name',
    'kind',
    'area_centimu',
    'geometry',
    'certificate_no',
    'let_how',
    'contract_id',
    'note',
    'state',
    'version',
  ],
  finance_contract: [
    'book_id',
    'street_id',
    'unit_path',
    'code',
    'title',
    'counterparty_name',
    'counterparty_kind',
    'resource_id',
    'asset_id',
    'start_date',
    'end_date',
    'total_rent',
    'document_id',
    'state',
    'note',
    'version',
  ],
};

const TABLES: Record<FinanceRecordType, string> = {
  finance_book: 'finance_books',
  finance_account: 'finance_accounts',
  finance_voucher: 'finance_vouchers',
  finance_disclosure: 'finance_disclosures',
  finance_question: 'finance_questions',
  finance_fund: 'finance_funds',
  finance_asset: 'finance_assets',
  finance_resource: 'finance_resources',
  finance_contract: 'finance_contracts',
};

const LABELS: Record<FinanceRecordType, { zh: string; en: string }> = {
  finance_book: { zh: '账套', en: 'set of books' },
  finance_account: { zh: '会计科目', en: 'account' },
  finance_voucher: { zh: '记账凭证', en: 'voucher' },
  finance_disclosure: { zh: '财务公开', en: 'disclosure' },
  finance_question: { zh: '村民意见', en: 'question' },
  finance_fund: { zh: '资金账户', en: 'fund account' },
  finance_asset: { zh: '资产', en: 'asset' },
  finance_resource: { zh: '资源', en: 'resource' },
  finance_contract: { zh: '合同', en: 'contract' },
};

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `payload.set`: the projected columns among `changes` (instants as ISO strings, jsonb as values). */
export function journalSet(
  recordType: FinanceRecordType,
  changes: Record<string, unknown>,
): Record<string, JsonValue> {
  const set: Record<string, JsonValue> = {};
  for (const column of PROJECTED_COLUMNS[recordType]) {
    const value = changes[column];
    if (value === undefined) continue;
    set[column] = value instanceof Date ? value.toISOString() : (value as JsonValue);
  }
  return set;
}

export interface FinanceEvent {
  recordType: FinanceRecordType;
  recordId: string;
  streetId: string;
  action: string;
  actorId: string | null;
  actorRole: string | null;
  /** The row's columns this event set (only the projected ones are kept). */
  changes: Record<string, unknown>;
  /** Anything else worth keeping with the event (a reason, the lines of a reversal, …). */
  extra?: Record<string, unknown>;
  at?: Date;
}

function toJournalEvent(event: FinanceEvent): JournalEvent {
  return {
    streetId: event.streetId,
    recordType: event.recordType,
    recordId: event.recordId,
    action: event.action,
    actorId: event.actorId,
    actorRole: event.actorRole,
    payload: { set: journalSet(event.recordType, event.changes), ...event.extra },
    at: event.at,
  };
}

/** Appends the event to its record's chain in the caller's transaction; returns the entry. */
export function appendFinanceEntry(trx: Db, event: FinanceEvent) {
  return appendEntry(trx, toJournalEvent(event));
}

/** The first entries of records created together (a book's accounts), in one statement. */
export async function appendNewRecordEntries(trx: Db, events: FinanceEvent[]): Promise<void> {
  await insertEntries(
    trx,
    events.map((event) => prepareEntry(toJournalEvent(event), NEW_RECORD)),
  );
}

for (const recordType of Object.values(FINANCE_RECORD_TYPES)) {
  registerJournalRecordType({
    recordType,
    label: LABELS[recordType],
    projection: {
      table: TABLES[recordType],
      columns: PROJECTED_COLUMNS[recordType],
      isEveryRowJournaled: true,
      streetColumn: 'street_id',
    },
    // A sealed disclosure is public (its seal is what villagers verify); everything else is for the
    // people who keep, approve and review the books.
    canRead: async (actor, recordId, db) => {
      const access = await findBookAccessOf(db, recordType, recordId);
      if (!access) return false;
      if (recordType === FINANCE_RECORD_TYPES.disclosure && access.isPublic) return true;
      return canReadBook(actor, access);
    },
  });
}
