import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  FinanceAccountsTable,
  FinanceAttachmentsTable,
  FinanceBooksTable,
  FinancePeriodsTable,
  FinanceVouchersTable,
} from '../../db/schema.generated.ts';
import type { BookAccess } from './policy.ts';

/** The SQL of the books, accounts, periods, vouchers, postings and balances. */

export type BookRow = Selectable<FinanceBooksTable>;
export type AccountRow = Selectable<FinanceAccountsTable>;
export type PeriodRow = Selectable<FinancePeriodsTable>;
export type VoucherRow = Selectable<FinanceVouchersTable>;
export type AttachmentRow = Selectable<FinanceAttachmentsTable>;

/** A book with the names of its unit and street (for presentation). */
export interface BookWithUnit extends BookRow {
  unit_name: string;
  unit_code: string;
  street_name: string;
}

const bookWithUnit = (db: Db) =>
  db
    .selectFrom('finance_books as b')
    .innerJoin('units as u', 'u.id', 'b.unit_id')
    .innerJoin('units as s', 's.id', 'b.street_id')
    .selectAll('b')
    .select(['u.name as unit_name', 'u.code as unit_code', 's.name as street_name']);

// ---------------------------------------------------------------------------------------------
// Books

export async function insertBook(trx: Db, row: Insertable<FinanceBooksTable>): Promise<void> {
  await trx.insertInto('finance_books').values(row).execute();
}

export async function findBook(db: Db, id: string): Promise<BookWithUnit | undefined> {
  return bookWithUnit(db).where('b.id', '=', id).executeTakeFirst();
}

export async function findBookByUnit(db: Db, unitId: string): Promise<BookRow | undefined> {
  return db.selectFrom('finance_books').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
}

/** Reads a book and locks its row: changes to its opening balances and periods serialise. */
export async function lockBook(trx: Db, id: string): Promise<BookRow | undefined> {
  return trx.selectFrom('finance_books').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateBook(trx: Db, id: string, changes: Updateable<FinanceBooksTable>): Promise<void> {
  await trx.updateTable('finance_books').set(changes).where('id', '=', id).execute();
}

/** Books under any of the unit paths (the caller's scope), by unit code. */
export async function listBooksUnder(db: Db, paths: string[]): Promise<BookWithUnit[]> {
  if (paths.length === 0) return [];
  return bookWithUnit(db)
    .where((eb) => eb.or(paths.map((path) => eb('b.unit_path', 'like', `${path}%`))))
    .orderBy('u.code')
    .execute();
}

/** Every book with at least one sealed disclosure (the public list), optionally under one unit. */
export async function listPublicBooks(db: Db, unitPath: string | null) {
  let query = bookWithUnit(db)
    .innerJoin('finance_disclosures as d', (join) =>
      join.onRef('d.book_id', '=', 'b.id').on('d.state', '=', 'sealed'),
    )
    .select((eb) => [
      eb.fn.count<number>('d.id').as('disclosure_count'),
      eb.fn.max('d.sealed_at').as('last_sealed_at'),
    ])
    .groupBy(['b.id', 'u.name', 'u.code', 's.name'])
    .orderBy('u.code');
  if (unitPath) query = query.where('b.unit_path', 'like', `${unitPath}%`);
  return query.execute();
}

/**
 * What the journal's canRead needs about a finance record: its book's unit path, and whether the
 * record is public (a sealed disclosure).
 */
export async function findBookAccessOf(
  db: Db,
  recordType: string,
  recordId: string,
): Promise<(BookAccess & { isPublic: boolean }) | undefined> {
  if (recordType === 'finance_book') {
    const row = await db
      .selectFrom('finance_books')
      .select('unit_path')
      .where('id', '=', recordId)
      .executeTakeFirst();
    return row ? { unit_path: row.unit_path, isPublic: false } : undefined;
  }
  const tables = {
    finance_account: 'finance_accounts',
    finance_voucher: 'finance_vouchers',
    finance_disclosure: 'finance_disclosures',
    finance_question: 'finance_questions',
    finance_fund: 'finance_funds',
    finance_asset: 'finance_assets',
    finance_resource: 'finance_resources',
    finance_contract: 'finance_contracts',
  } as const;
  const table = tables[recordType as keyof typeof tables];
  if (!table) return undefined;
  const row = await db
    .selectFrom(`${table} as r` as 'finance_accounts as r')
    .innerJoin('finance_books as b', 'b.id', 'r.book_id')
    .select(['b.unit_path'])
    .select(
      recordType === 'finance_disclosure'
        ? sql<boolean>`(r.state = 'sealed')`.as('is_public')
        : sql<boolean>`false`.as('is_public'),
    )
    .where('r.id', '=', recordId)
    .executeTakeFirst();
  return row ? { unit_path: row.unit_path, isPublic: row.is_public } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Accounts

export async function insertAccounts(trx: Db, rows: Insertable<FinanceAccountsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('finance_accounts').values(rows).execute();
}

export async function listAccounts(db: Db, bookId: string): Promise<AccountRow[]> {
  return db
    .selectFrom('finance_accounts')
    .selectAll()
    .where('book_id', '=', bookId)
    .orderBy('code')
    .execute();
}

export async function lockAccount(trx: Db, bookId: string, code: string): Promise<AccountRow | undefined> {
  return trx
    .selectFrom('finance_accounts')
    .selectAll()
    .where('book_id', '=', bookId)
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateAccount(
  trx: Db,
  id: string,
  changes: Updateable<FinanceAccountsTable>,
): Promise<void> {
  await trx.updateTable('finance_accounts').set(changes).where('id', '=', id).execute();
}

/** Marks accounts as used (by a posting or an opening balance): from then on they are never removed. */
export async function markAccountsUsed(trx: Db, bookId: string, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  await trx
    .updateTable('finance_accounts')
    .set({ is_used: true })
    .where('book_id', '=', bookId)
    .where('code', 'in', codes)
    .where('is_used', '=', false)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Periods

/** Creates the month's row when it has none yet (open, numbered from 1). */
export async function ensurePeriod(trx: Db, bookId: string, streetId: string, period: string): Promise<void> {
  await trx
    .insertInto('finance_periods')
    .values({ book_id: bookId, period, street_id: streetId, state: 'open' })
    .onConflict((oc) => oc.columns(['book_id', 'period']).doNothing())
    .execute();
}

/** Reads a month and locks it: postings that number vouchers in it, and its close, take turns. */
export async function lockPeriod(trx: Db, bookId: string, period: string): Promise<PeriodRow | undefined> {
  return trx
    .selectFrom('finance_periods')
    .selectAll()
    .where('book_id', '=', bookId)
    .where('period', '=', period)
    .forUpdate()
    .executeTakeFirst();
}

export async function findPeriod(db: Db, bookId: string, period: string): Promise<PeriodRow | undefined> {
  return db
    .selectFrom('finance_periods')
    .selectAll()
    .where('book_id', '=', bookId)
    .where('period', '=', period)
    .executeTakeFirst();
}

export async function findPeriods(db: Db, bookId: string, periods: string[]): Promise<PeriodRow[]> {
  if (periods.length === 0) return [];
  return db
    .selectFrom('finance_periods')
    .selectAll()
    .where('book_id', '=', bookId)
    .where('period', 'in', periods)
    .execute();
}

export async function updatePeriod(
  trx: Db,
  bookId: string,
  period: string,
  changes: Updateable<FinancePeriodsTable>,
): Promise<void> {
  await trx
    .updateTable('finance_periods')
    .set(changes)
    .where('book_id', '=', bookId)
    .where('period', '=', period)
    .execute();
}

/** The latest closed or sealed month, and the earliest month that is not (for the close order). */
export async function periodStates(db: Db, bookId: string): Promise<PeriodRow[]> {
  return db
    .selectFrom('finance_periods')
    .selectAll()
    .where('book_id', '=', bookId)
    .orderBy('period')
    .execute();
}

/** Debits and credits posted per month. */
export async function periodTotals(db: Db, bookId: string) {
  return db
    .selectFrom('finance_balances')
    .select((eb) => [
      'period',
      eb.fn.sum<number>('debit').as('debit'),
      eb.fn.sum<number>('credit').as('credit'),
    ])
    .where('book_id', '=', bookId)
    .groupBy('period')
    .execute();
}

/** A month after `period` that is closed or sealed, if any. */
export async function laterClosedPeriod(db: Db, bookId: string, period: string) {
  return db
    .selectFrom('finance_periods')
    .select('period')
    .where('book_id', '=', bookId)
    .where('period', '>', period)
    .where('state', '<>', 'open')
    .orderBy('period')
    .executeTakeFirst();
}

/** Per month: posted and pending voucher counts. */
export async function voucherCountsByPeriod(db: Db, bookId: string) {
  return db
    .selectFrom('finance_vouchers')
    .select((eb) => [
      'period',
      eb.fn.count<number>('id').filterWhere('state', '=', 'posted').as('posted'),
      eb.fn
        .count<number>('id')
        .filterWhere('state', 'in', ['draft', 'submitted', 'approved', 'reviewed'])
        .as('pending'),
    ])
    .where('book_id', '=', bookId)
    .groupBy('period')
    .execute();
}

export async function countPendingVouchers(db: Db, bookId: string, period: string): Promise<number> {
  const row = await db
    .selectFrom('finance_vouchers')
    .select((eb) => eb.fn.count<number>('id').as('count'))
    .where('book_id', '=', bookId)
    .where('period', '=', period)
    .where('state', 'in', ['draft', 'submitted', 'approved', 'reviewed'])
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// ---------------------------------------------------------------------------------------------
// Vouchers

export async function insertVoucher(trx: Db, row: Insertable<FinanceVouchersTable>): Promise<void> {
  await trx.insertInto('finance_vouchers').values(row).execute();
}

export async function findVoucher(db: Db, id: string): Promise<VoucherRow | undefined> {
  return db.selectFrom('finance_vouchers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockVoucher(trx: Db, id: string): Promise<VoucherRow | undefined> {
  return trx.selectFrom('finance_vouchers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateVoucher(
  trx: Db,
  id: string,
  changes: Updateable<FinanceVouchersTable>,
): Promise<void> {
  await trx.updateTable('finance_vouchers').set(changes).where('id', '=', id).execute();
}

export interface VoucherListFilter {
  period?: string | undefined;
  state?: string | undefined;
  offset: number;
  limit: number;
}

/** A book's vouchers for the console: newest month first, posted ones by number, then drafts. */
export async function listVouchers(db: Db, bookId: string, filter: VoucherListFilter): Promise<VoucherRow[]> {
  let query = db.selectFrom('finance_vouchers').selectAll().where('book_id', '=', bookId);
  if (filter.period) query = query.where('period', '=', filter.period);
  if (filter.state) query = query.where('state', '=', filter.state);
  return query
    .orderBy('period', 'desc')
    .orderBy(sql`number DESC NULLS FIRST`)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .offset(filter.offset)
    .limit(filter.limit + 1)
    .execute();
}

/** The vouchers (not discarded) that reverse the given ones: original id → reversal id. */
export async function findReversals(db: Db, ids: string[]): Promise<Map<string, VoucherRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('finance_vouchers')
    .selectAll()
    .where('reverses_id', 'in', ids)
    .where('state', '<>', 'discarded')
    .execute();
  return new Map(rows.map((row) => [row.reverses_id!, row]));
}

/** Posted vouchers of months `from`..`to`, in period and number order. */
export async function postedVouchers(
  db: Db,
  bookId: string,
  range: {
    from: string;
    to: string;
    afterKey?: [string, number] | undefined;
    limit?: number | undefined;
    accountPrefix?: string | undefined;
  },
): Promise<VoucherRow[]> {
  let query = db
    .selectFrom('finance_vouchers')
    .selectAll()
    .where('book_id', '=', bookId)
    .where('state', '=', 'posted')
    .where('period', '>=', range.from)
    .where('period', '<=', range.to);
  if (range.afterKey) {
    const [period, number] = range.afterKey;
    query = query.where((eb) =>
      eb.or([eb('period', '>', period), eb.and([eb('period', '=', period), eb('number', '>', number)])]),
    );
  }
  if (range.accountPrefix) {
    const prefix = range.accountPrefix;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('finance_postings as p')
          .select('p.line_no')
          .whereRef('p.voucher_id', '=', 'finance_vouchers.id')
          .where('p.account_code', 'like', `${prefix}%`),
      ),
    );
  }
  query = query.orderBy('period').orderBy('number');
  if (range.limit) query = query.limit(range.limit);
  return query.execute();
}

// ---------------------------------------------------------------------------------------------
// Postings and balances

export interface PostingRow {
  voucher_id: string;
  line_no: number;
  book_id: string;
  street_id: string;
  period: string;
  number: number;
  voucher_date: string;
  voucher_kind: string;
  account_code: string;
  summary: string;
  debit: number;
  credit: number;
}

export async function insertPostings(trx: Db, rows: PostingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('finance_postings').values(rows).execute();
}

export interface BalanceDelta {
  book_id: string;
  account_code: string;
  period: string;
  street_id: string;
  debit: number;
  credit: number;
  closing_debit: number;
  closing_credit: number;
}

/** Adds a posting's movements to the month's balances, atomically per row (concurrent posts add up). */
export async function addBalances(trx: Db, rows: BalanceDelta[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('finance_balances')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['book_id', 'account_code', 'period']).doUpdateSet({
        debit: sql`finance_balances.debit + excluded.debit`,
        credit: sql`finance_balances.credit + excluded.credit`,
        closing_debit: sql`finance_balances.closing_debit + excluded.closing_debit`,
        closing_credit: sql`finance_balances.closing_credit + excluded.closing_credit`,
      }),
    )
    .execute();
}

export interface AccountMovement {
  account_code: string;
  debit: number;
  credit: number;
  closing_debit: number;
  closing_credit: number;
}

/** Movements per leaf account over months [from, to] (from null: since the start of the books). */
export async function sumBalances(
  db: Db,
  bookId: string,
  range: { from: string | null; to: string },
): Promise<AccountMovement[]> {
  let query = db
    .selectFrom('finance_balances')
    .select((eb) => [
      'account_code',
      eb.fn.sum<number>('debit').as('debit'),
      eb.fn.sum<number>('credit').as('credit'),
      eb.fn.sum<number>('closing_debit').as('closing_debit'),
      eb.fn.sum<number>('closing_credit').as('closing_credit'),
    ])
    .where('book_id', '=', bookId)
    .where('period', '<=', range.to);
  if (range.from) query = query.where('period', '>=', range.from);
  const rows = await query.groupBy('account_code').execute();
  return rows.map((row) => ({
    account_code: row.account_code,
    debit: Number(row.debit),
    credit: Number(row.credit),
    closing_debit: Number(row.closing_debit),
    closing_credit: Number(row.closing_credit),
  }));
}

/** Movements per month and first-level account up to `to` (the public page's series). */
export async function monthlyMovements(db: Db, bookId: string, to: string) {
  const rows = await db
    .selectFrom('finance_balances')
    .select((eb) => [
      'period',
      sql<string>`left(account_code, 3)`.as('code'),
      eb.fn.sum<number>(sql`debit - closing_debit`).as('debit'),
      eb.fn.sum<number>(sql`credit - closing_credit`).as('credit'),
    ])
    .where('book_id', '=', bookId)
    .where('period', '<=', to)
    .groupBy(['period', sql`left(account_code, 3)`])
    .orderBy('period')
    .execute();
  return rows.map((row) => ({
    period: row.period,
    code: row.code,
    debit: Number(row.debit),
    credit: Number(row.credit),
  }));
}

/** The postings of an account and its sub-accounts over months [from, to], in ledger order. */
export async function ledgerPostings(db: Db, bookId: string, prefix: string, from: string, to: string) {
  return db
    .selectFrom('finance_postings')
    .select([
      'voucher_id',
      'line_no',
      'period',
      'number',
      'voucher_date',
      'account_code',
      'summary',
      'debit',
      'credit',
    ])
    .where('book_id', '=', bookId)
    .where('account_code', 'like', `${prefix}%`)
    .where('period', '>=', from)
    .where('period', '<=', to)
    .orderBy('period')
    .orderBy('number')
    .orderBy('line_no')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Attachments

export async function insertAttachment(trx: Db, row: Insertable<FinanceAttachmentsTable>): Promise<void> {
  await trx.insertInto('finance_attachments').values(row).execute();
}

export async function findAttachments(db: Db, ids: string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('finance_attachments').selectAll().where('id', 'in', ids).execute();
}

export async function findAttachment(db: Db, id: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom('finance_attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Is the attachment shown to the public: marked public on a posted voucher of a sealed month? */
export async function isAttachmentPublic(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('finance_vouchers as v')
    .innerJoin('finance_periods as p', (join) =>
      join.onRef('p.book_id', '=', 'v.book_id').onRef('p.period', '=', 'v.period'),
    )
    .select('v.id')
    .where('v.state', '=', 'posted')
    .where('p.state', '=', 'sealed')
    .where(sql<boolean>`v.attachments @> ${JSON.stringify([{ id, isPublic: true }])}::jsonb`)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

// ---------------------------------------------------------------------------------------------
// People

/** Display names of staff by id (for who prepared, approved, reviewed, posted). */
export async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

/** The current date in China (accounting dates are Beijing dates). */
export async function chinaToday(db: Db): Promise<string> {
  const row = await sql<{
    today: string;
  }>`SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today`.execute(db);
  return row.rows[0]!.today;
}
