import type { Voucher, VoucherInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor } from '../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { getVoucher } from './get-voucher.ts';
import { loadKeptBook, requireActiveBook } from './load-book.ts';
import { actingRole, KEEP_ROLES } from './policy.ts';
import { insertVoucher, type BookRow } from './repository.ts';
import { prepareVoucherContent } from './voucher-content.ts';

export interface NewVoucherOptions {
  kind?: 'normal' | 'reversal' | 'depreciation' | 'closing';
  reversesId?: string | null;
  extra?: Record<string, unknown>;
  at?: Date;
}

/** Writes a draft voucher and its first journal entry in the caller's transaction. */
export async function insertDraftVoucher(
  trx: Db,
  actor: Actor,
  book: BookRow,
  input: VoucherInput,
  options: NewVoucherOptions = {},
): Promise<string> {
  const content = await prepareVoucherContent(trx, book, input);
  const id = crypto.randomUUID();
  const now = options.at ?? new Date();
  const row = {
    id,
    book_id: book.id,
    street_id: book.street_id,
    unit_path: book.unit_path,
    period: content.period,
    number: null,
    voucher_date: input.date,
    kind: options.kind ?? 'normal',
    summary: input.summary,
    lines: content.lines,
    total: content.total,
    handler_name: input.handlerName ?? null,
    attachments: content.attachments,
    state: 'draft',
    prepared_by: actor.userId,
    approved_by: null,
    approved_at: null,
    reviewed_by: null,
    reviewed_at: null,
    review_note: null,
    posted_by: null,
    posted_at: null,
    return_reason: null,
    reverses_id: options.reversesId ?? null,
    version: 1,
  };
  await insertVoucher(trx, {
    ...row,
    lines: JSON.stringify(row.lines),
    attachments: JSON.stringify(row.attachments),
    created_at: now,
    updated_at: now,
  });
  await appendFinanceEntry(trx, {
    recordType: FINANCE_RECORD_TYPES.voucher,
    recordId: id,
    streetId: book.street_id,
    action: 'draft',
    actorId: actor.userId,
    actorRole: actingRole(actor, KEEP_ROLES, book),
    changes: row,
    extra: options.extra,
    at: now,
  });
  return id;
}

/** 制单: a new voucher in draft. It balances to the fen on accounts that take postings, or it is refused. */
export async function createVoucher(
  app: App,
  actor: Actor,
  bookId: string,
  input: VoucherInput,
): Promise<Voucher> {
  const book = await loadKeptBook(app.db, actor, bookId);
  requireActiveBook(book);
  const id = await inTransaction(app.db, (trx) => insertDraftVoucher(trx, actor, book, input));
  return getVoucher(app, actor, id);
}
