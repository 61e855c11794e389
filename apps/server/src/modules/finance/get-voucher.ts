import type { Voucher } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { loadReadableBook } from './load-book.ts';
import { cannotSee, canReadBook } from './policy.ts';
import { presentVoucher, type StoredAttachment } from './present.ts';
import {
  findAttachments,
  findBook,
  findPeriods,
  findReversals,
  findVoucher,
  listVouchers,
  userNames,
  type VoucherRow,
} from './repository.ts';

const VOUCHER = { zh: '凭证', en: 'Voucher' };

/** Presents vouchers of one book with everything presentation needs, in few queries. */
export async function presentVouchers(
  db: Db,
  actor: Actor | null,
  book: { id: string; unit_path: string },
  rows: VoucherRow[],
): Promise<Voucher[]> {
  const names = await userNames(
    db,
    rows.flatMap((row) => [row.prepared_by, row.approved_by, row.reviewed_by, row.posted_by]),
  );
  const attachmentIds = rows.flatMap((row) =>
    (row.attachments as unknown as StoredAttachment[]).map((a) => a.id),
  );
  const attachments = new Map((await findAttachments(db, attachmentIds)).map((row) => [row.id, row]));
  const reversals = await findReversals(
    db,
    rows.filter((row) => row.state === 'posted').map((row) => row.id),
  );
  const periods = new Map(
    (await findPeriods(db, book.id, [...new Set(rows.map((row) => row.period))])).map((row) => [
      row.period,
      row.state,
    ]),
  );
  return rows.map((row) =>
    presentVoucher(row, {
      actor,
      book,
      periodState: periods.get(row.period) ?? 'open',
      names,
      attachments,
      reversedById: reversals.get(row.id)?.id ?? null,
    }),
  );
}

export async function getVoucher(app: App, actor: Actor | null, id: string): Promise<Voucher> {
  const row = await findVoucher(app.db, id);
  if (!row) throw errors.notFound(VOUCHER);
  const book = await findBook(app.db, row.book_id);
  if (!book || !canReadBook(actor, book)) throw cannotSee(actor, VOUCHER);
  const [voucher] = await presentVouchers(app.db, actor, book, [row]);
  return voucher!;
}

/** The console's list: a month or a state, newest month first; offset pages (a book's month is small). */
export async function listBookVouchers(
  app: App,
  actor: Actor | null,
  bookId: string,
  query: {
    period?: string | undefined;
    state?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: Voucher[]; nextCursor: string | null }> {
  const book = await loadReadableBook(app.db, actor, bookId);
  if (query.cursor !== undefined && !/^\d{1,7}$/.test(query.cursor)) {
    throw errors.badRequest({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'cursor' });
  }
  const offset = query.cursor ? Number(query.cursor) : 0;
  const rows = await listVouchers(app.db, book.id, {
    period: query.period,
    state: query.state,
    offset,
    limit: query.limit,
  });
  const page = rows.slice(0, query.limit);
  return {
    items: await presentVouchers(app.db, actor, book, page),
    nextCursor: rows.length > query.limit ? String(offset + query.limit) : null,
  };
}
