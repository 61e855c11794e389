import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../../db/database.ts';
import type {
  FinanceContractsTable,
  FinanceRentReceiptsTable,
  FinanceRentScheduleTable,
  FinanceResourcesTable,
} from '../../../db/schema.generated.ts';
import type { BBox } from '../../areas/geometry.ts';

/** SQL of the resource and contract registers, their rent schedules and receipts. */

export type ResourceRow = Selectable<FinanceResourcesTable>;
export type ContractRow = Selectable<FinanceContractsTable>;
export type InstalmentRow = Selectable<FinanceRentScheduleTable>;
export type ReceiptRow = Selectable<FinanceRentReceiptsTable> & {
  voucher_period: string | null;
  voucher_number: number | null;
};

/** The bounding box of the book's unit, or of its nearest ancestor with an outline. */
export async function villageBBox(db: Db, unitPath: string): Promise<BBox | null> {
  const row = await db
    .selectFrom('units')
    .select(['min_lng', 'min_lat', 'max_lng', 'max_lat'])
    .where(sql<boolean>`${unitPath} LIKE path || '%'`)
    .where('min_lng', 'is not', null)
    .orderBy('depth', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || row.min_lng === null || row.min_lat === null || row.max_lng === null || row.max_lat === null) {
    return null;
  }
  return { minLng: row.min_lng, minLat: row.min_lat, maxLng: row.max_lng, maxLat: row.max_lat };
}

// ---------------------------------------------------------------------------------------------
// Resources

export async function listResources(db: Db, bookId: string): Promise<ResourceRow[]> {
  return db
    .selectFrom('finance_resources')
    .selectAll()
    .where('book_id', '=', bookId)
    .orderBy('code')
    .execute();
}

export async function findResource(db: Db, id: string): Promise<ResourceRow | undefined> {
  return db.selectFrom('finance_resources').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockResource(trx: Db, id: string): Promise<ResourceRow | undefined> {
  return trx.selectFrom('finance_resources').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertResource(trx: Db, row: Insertable<FinanceResourcesTable>): Promise<void> {
  await trx.insertInto('finance_resources').values(row).execute();
}

export async function updateResource(
  trx: Db,
  id: string,
  changes: Updateable<FinanceResourcesTable>,
): Promise<void> {
  await trx.updateTable('finance_resources').set(changes).where('id', '=', id).execute();
}

export async function findAsset(db: Db, id: string) {
  return db
    .selectFrom('finance_assets')
    .select(['id', 'book_id', 'code', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Contracts

export async function listContracts(db: Db, bookId: string): Promise<ContractRow[]> {
  return db
    .selectFrom('finance_contracts')
    .selectAll()
    .where('book_id', '=', bookId)
    .orderBy('code')
    .execute();
}

export async function findContracts(db: Db, ids: string[]): Promise<ContractRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('finance_contracts').selectAll().where('id', 'in', ids).execute();
}

export async function findContract(db: Db, id: string): Promise<ContractRow | undefined> {
  return db.selectFrom('finance_contracts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockContract(trx: Db, id: string): Promise<ContractRow | undefined> {
  return trx.selectFrom('finance_contracts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertContract(trx: Db, row: Insertable<FinanceContractsTable>): Promise<void> {
  await trx.insertInto('finance_contracts').values(row).execute();
}

export async function updateContract(
  trx: Db,
  id: string,
  changes: Updateable<FinanceContractsTable>,
): Promise<void> {
  await trx.updateTable('finance_contracts').set(changes).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Rent schedules and receipts

export async function insertInstalments(
  trx: Db,
  rows: Insertable<FinanceRentScheduleTable>[],
): Promise<void> {
  if (rows.length) await trx.insertInto('finance_rent_schedule').values(rows).execute();
}

export async function scheduleOf(db: Db, contractIds: string[]): Promise<InstalmentRow[]> {
  if (contractIds.length === 0) return [];
  return db
    .selectFrom('finance_rent_schedule')
    .selectAll()
    .where('contract_id', 'in', contractIds)
    .orderBy('due_date')
    .orderBy('id')
    .execute();
}

/** The contract's instalments, locked: receipts against one contract serialise. */
export async function lockSchedule(trx: Db, contractId: string): Promise<InstalmentRow[]> {
  return trx
    .selectFrom('finance_rent_schedule')
    .selectAll()
    .where('contract_id', '=', contractId)
    .orderBy('due_date')
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function payInstalment(
  trx: Db,
  id: string,
  changes: { paid_amount: number; paid_on: string; voucher_id: string | null },
): Promise<void> {
  await trx.updateTable('finance_rent_schedule').set(changes).where('id', '=', id).execute();
}

export async function insertReceipts(trx: Db, rows: Insertable<FinanceRentReceiptsTable>[]): Promise<void> {
  if (rows.length) await trx.insertInto('finance_rent_receipts').values(rows).execute();
}

export async function receiptsOf(db: Db, contractIds: string[]): Promise<ReceiptRow[]> {
  if (contractIds.length === 0) return [];
  return db
    .selectFrom('finance_rent_receipts as r')
    .leftJoin('finance_vouchers as v', 'v.id', 'r.voucher_id')
    .selectAll('r')
    .select(['v.period as voucher_period', 'v.number as voucher_number'])
    .where('r.contract_id', 'in', contractIds)
    .orderBy('r.paid_on')
    .orderBy('r.created_at')
    .execute();
}

/** What receipts have already taken from a voucher (a voucher's total is received once). */
export async function receivedOnVoucher(trx: Db, voucherId: string): Promise<number> {
  const row = await trx
    .selectFrom('finance_rent_receipts')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('amount'))
    .where('voucher_id', '=', voucherId)
    .executeTakeFirstOrThrow();
  return Number(row.amount);
}

export interface OverdueRow {
  instalment_id: string;
  contract_id: string;
  book_id: string;
  due_date: string;
  amount: number;
  paid_amount: number;
  code: string;
  title: string;
  counterparty_name: string;
  counterparty_name_enc: string | null;
  counterparty_kind: string;
}

/** Instalments of active contracts due before `asOf` and not fully paid, in one book or under an area. */
export async function overdueInstalments(
  db: Db,
  where: { bookId: string } | { unitPath: string },
  asOf: string,
): Promise<OverdueRow[]> {
  let query = db
    .selectFrom('finance_rent_schedule as r')
    .innerJoin('finance_contracts as c', 'c.id', 'r.contract_id')
    .select([
      'r.id as instalment_id',
      'r.contract_id',
      'r.book_id',
      'r.due_date',
      'r.amount',
      'r.paid_amount',
      'c.code',
      'c.title',
      'c.counterparty_name',
      'c.counterparty_name_enc',
      'c.counterparty_kind',
    ])
    .where('r.due_date', '<', asOf)
    .whereRef('r.paid_amount', '<', 'r.amount')
    .where('c.state', '=', 'active')
    .orderBy('r.due_date')
    .orderBy('c.code');
  query =
    'bookId' in where
      ? query.where('r.book_id', '=', where.bookId)
      : query.where('r.unit_path', 'like', `${where.unitPath}%`);
  return query.execute();
}

/** Active contracts ending between `asOf` and `until` (inclusive). */
export async function contractsEnding(
  db: Db,
  bookId: string,
  asOf: string,
  until: string,
): Promise<ContractRow[]> {
  return db
    .selectFrom('finance_contracts')
    .selectAll()
    .where('book_id', '=', bookId)
    .where('state', '=', 'active')
    .where('end_date', '>=', asOf)
    .where('end_date', '<=', until)
    .orderBy('end_date')
    .execute();
}
