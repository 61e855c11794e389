import type { Asset, ZCreateAsset, ZUpdateAsset } from '@minqing/contract';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { App } from '../../../app.ts';
import type { Db } from '../../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../../db/transaction.ts';
import { errors } from '../../../errors.ts';
import type { Actor } from '../../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from '../finance-journal.ts';
import { checkVersion, loadKeptBook, loadReadableBook } from '../load-book.ts';
import { actingRole, canKeepBooks, cannotSee, canReadBook, KEEP_ROLES } from '../policy.ts';
import { findBook, type BookWithUnit } from '../repository.ts';
import { expenseAccountOf, monthlyCharge } from './depreciation-math.ts';

/**
 * 资产 register (docs/decisions/0710): fixed assets with their original value, depreciation (opening
 * depreciation plus the posted monthly runs), net value, where they stand (a point inside the village)
 * and the contract they are let under.
 */

const ASSET = { zh: '资产', en: 'Asset' };

export type AssetRow = {
  id: string;
  book_id: string;
  street_id: string;
  code: string;
  name: string;
  category: string;
  is_operating: boolean;
  lng: number | null;
  lat: number | null;
  location_text: string | null;
  original_value: number;
  opening_depreciation: number;
  salvage_value: number;
  useful_life_months: number | null;
  acquired_on: string;
  acquired_how: string;
  state: string;
  contract_id: string | null;
  note: string | null;
  version: number;
};

/** Whether a depreciation run's voucher (`v`) has a posted reversal (冲销). */
export const runIsReversed = sql<boolean>`exists (select 1 from finance_vouchers r where r.reverses_id = v.id and r.state = 'posted')`;

/**
 * Depreciation recorded per asset: `posted` counts runs whose voucher is posted (to the end of `upTo`
 * when given), `charged` every run not discarded (what the next run builds on). A run whose voucher
 * was reversed counts for neither: its month may be run again, or is caught up in the last month.
 */
export async function depreciationByAsset(
  db: Db,
  bookId: string,
  upTo: string | null = null,
): Promise<Map<string, { posted: number; charged: number }>> {
  let query = db
    .selectFrom('finance_depreciation as d')
    .innerJoin('finance_vouchers as v', 'v.id', 'd.voucher_id')
    .select(['d.asset_id', 'd.amount', 'v.state', 'd.period'])
    .where('d.book_id', '=', bookId)
    .where('v.state', '<>', 'discarded')
    // a run whose voucher was reversed (冲销) no longer counts, as in the ledger
    .where(sql<boolean>`not ${runIsReversed}`);
  if (upTo) query = query.where('d.period', '<=', upTo);
  const out = new Map<string, { posted: number; charged: number }>();
  for (const row of await query.execute()) {
    const sum = out.get(row.asset_id) ?? { posted: 0, charged: 0 };
    sum.charged += Number(row.amount);
    if (row.state === 'posted') sum.posted += Number(row.amount);
    out.set(row.asset_id, sum);
  }
  return out;
}

export function presentAsset(
  actor: Actor | null,
  book: BookWithUnit,
  row: AssetRow,
  recorded: { posted: number } | undefined,
): Asset {
  const accumulated = row.opening_depreciation + (recorded?.posted ?? 0);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    category: row.category as Asset['category'],
    isOperating: row.is_operating,
    location: row.lng !== null && row.lat !== null ? { lng: row.lng, lat: row.lat } : null,
    locationText: row.location_text,
    originalValue: row.original_value,
    accumulatedDepreciation: accumulated,
    netValue: row.original_value - accumulated,
    monthlyDepreciation: monthlyCharge(row),
    salvageValue: row.salvage_value,
    usefulLifeMonths: row.useful_life_months,
    expenseAccount: expenseAccountOf(row),
    acquiredOn: row.acquired_on,
    acquiredHow: row.acquired_how,
    state: row.state as Asset['state'],
    contractId: row.contract_id,
    note: row.note,
    version: row.version,
    allowedActions: canKeepBooks(actor, book) ? ['edit'] : [],
  };
}

export function assetTotals(items: Pick<Asset, 'originalValue' | 'accumulatedDepreciation'>[]) {
  const originalValue = items.reduce((sum, item) => sum + item.originalValue, 0);
  const accumulatedDepreciation = items.reduce((sum, item) => sum + item.accumulatedDepreciation, 0);
  return { originalValue, accumulatedDepreciation, netValue: originalValue - accumulatedDepreciation };
}

export async function assetRows(db: Db, bookId: string): Promise<AssetRow[]> {
  return db
    .selectFrom('finance_assets')
    .select([
      'id',
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
    ])
    .where('book_id', '=', bookId)
    .orderBy('code')
    .execute();
}

export async function listAssets(app: App, actor: Actor, bookId: string) {
  const book = await loadReadableBook(app.db, actor, bookId);
  const recorded = await depreciationByAsset(app.db, book.id);
  const items = (await assetRows(app.db, book.id)).map((row) =>
    presentAsset(actor, book, row, recorded.get(row.id)),
  );
  return { items, totals: assetTotals(items.filter((item) => item.state !== 'disposed')) };
}

async function getAsset(app: App, actor: Actor, id: string): Promise<Asset> {
  const row = (await app.db
    .selectFrom('finance_assets')
    .select('book_id')
    .where('id', '=', id)
    .executeTakeFirst())!;
  const book = (await findBook(app.db, row.book_id))!;
  const recorded = await depreciationByAsset(app.db, book.id);
  const full = (await assetRows(app.db, book.id)).find((asset) => asset.id === id)!;
  return presentAsset(actor, book, full, recorded.get(id));
}

/** A point must lie inside the village's outline (when the village has one). */
async function checkLocation(db: Db, book: BookWithUnit, location: { lng: number; lat: number }) {
  const unit = await db
    .selectFrom('units')
    .select('geometry')
    .where('id', '=', book.unit_id)
    .executeTakeFirst();
  const geometry = unit?.geometry as { type: string; coordinates: unknown } | null | undefined;
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) return;
  const inside = booleanPointInPolygon(
    [location.lng, location.lat],
    geometry as Parameters<typeof booleanPointInPolygon>[1],
  );
  if (!inside) {
    throw errors.unprocessable(
      'location_outside',
      {
        zh: `资产位置不在${book.unit_name}的范围内，请在地图上重新选点`,
        en: `the location is outside ${book.unit_name}; pick a point inside the village`,
      },
      { field: 'location' },
    );
  }
}

async function checkContract(db: Db, bookId: string, contractId: string | null | undefined) {
  if (!contractId) return;
  const found = await db
    .selectFrom('finance_contracts')
    .select('id')
    .where('id', '=', contractId)
    .where('book_id', '=', bookId)
    .executeTakeFirst();
  if (!found) {
    throw errors.unprocessable(
      'contract_unknown',
      { zh: '所选合同不存在或不属于本账套', en: 'the contract does not exist in these books' },
      { field: 'contractId' },
    );
  }
}

export async function createAsset(
  app: App,
  actor: Actor,
  bookId: string,
  input: z.infer<typeof ZCreateAsset>,
): Promise<Asset> {
  const book = await loadKeptBook(app.db, actor, bookId);
  const usefulLife = input.usefulLifeMonths ?? null;
  const salvage = usefulLife ? input.salvageValue : 0;
  if (input.openingDepreciation + salvage > input.originalValue) {
    throw errors.unprocessable(
      'depreciation_exceeds_value',
      {
        zh: '期初累计折旧加预计净残值不能超过原值',
        en: 'opening depreciation plus salvage value cannot exceed the original value',
      },
      { field: input.openingDepreciation > input.originalValue ? 'openingDepreciation' : 'salvageValue' },
    );
  }
  if (input.location) await checkLocation(app.db, book, input.location);
  await checkContract(app.db, book.id, input.contractId);
  const now = new Date();
  const row = {
    id: crypto.randomUUID(),
    book_id: book.id,
    street_id: book.street_id,
    code: input.code,
    name: input.name,
    category: input.category,
    is_operating: input.isOperating,
    lng: input.location?.lng ?? null,
    lat: input.location?.lat ?? null,
    location_text: input.locationText ?? null,
    original_value: input.originalValue,
    opening_depreciation: input.openingDepreciation,
    salvage_value: salvage,
    useful_life_months: usefulLife,
    acquired_on: input.acquiredOn,
    acquired_how: input.acquiredHow,
    state: input.state,
    contract_id: input.contractId ?? null,
    note: input.note ?? null,
    version: 1,
  };
  try {
    await inTransaction(app.db, async (trx) => {
      await trx
        .insertInto('finance_assets')
        .values({ ...row, created_at: now, updated_at: now })
        .execute();
      await appendFinanceEntry(trx, {
        recordType: FINANCE_RECORD_TYPES.asset,
        recordId: row.id,
        streetId: book.street_id,
        action: 'create',
        actorId: actor.userId,
        actorRole: actingRole(actor, KEEP_ROLES, book),
        changes: row,
        at: now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict(
        'asset_code_taken',
        {
          zh: `资产编号 ${input.code} 已被使用`,
          en: `asset code ${input.code} is already used in these books`,
        },
        { field: 'code' },
      );
    }
    throw error;
  }
  return presentAsset(actor, book, row, undefined);
}

export async function updateAsset(
  app: App,
  actor: Actor,
  id: string,
  input: z.infer<typeof ZUpdateAsset>,
): Promise<Asset> {
  await inTransaction(app.db, async (trx) => {
    const current = await trx
      .selectFrom('finance_assets')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw errors.notFound(ASSET);
    const book = (await findBook(trx, current.book_id))!;
    if (!canReadBook(actor, book)) throw cannotSee(actor, ASSET);
    if (!canKeepBooks(actor, book)) throw errors.forbidden({ need: 'bookkeeper' });
    checkVersion(current.version, input.expectedVersion);
    if (current.state === 'disposed') {
      throw errors.conflict('asset_disposed', {
        zh: '资产已处置，不能再修改',
        en: 'the asset is disposed and no longer changes',
      });
    }
    if (input.location) await checkLocation(trx, book, input.location);
    await checkContract(trx, book.id, input.contractId);
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.isOperating !== undefined) changes.is_operating = input.isOperating;
    if (input.location !== undefined) {
      changes.lng = input.location?.lng ?? null;
      changes.lat = input.location?.lat ?? null;
    }
    if (input.locationText !== undefined) changes.location_text = input.locationText;
    if (input.state !== undefined) changes.state = input.state;
    if (input.contractId !== undefined) changes.contract_id = input.contractId;
    if (input.note !== undefined) changes.note = input.note;
    const now = new Date();
    const next = { ...changes, version: current.version + 1 };
    await trx
      .updateTable('finance_assets')
      .set({ ...next, updated_at: now })
      .where('id', '=', id)
      .execute();
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.asset,
      recordId: id,
      streetId: current.street_id,
      action: input.state === 'disposed' ? 'dispose' : 'update',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes: next,
      at: now,
    });
  });
  return getAsset(app, actor, id);
}

/** 资产 on the villagers' page: no note, no contract link; depreciation to the last sealed month. */
export async function publicAssets(db: Db, book: BookWithUnit, asOf: string | null) {
  const recorded = asOf
    ? await depreciationByAsset(db, book.id, asOf)
    : new Map<string, { posted: number; charged: number }>();
  const items = (await assetRows(db, book.id)).map((row) => {
    const asset = presentAsset(null, book, row, recorded.get(row.id));
    return {
      id: asset.id,
      code: asset.code,
      name: asset.name,
      category: asset.category,
      isOperating: asset.isOperating,
      location: asset.location,
      locationText: asset.locationText,
      originalValue: asset.originalValue,
      accumulatedDepreciation: asset.accumulatedDepreciation,
      netValue: asset.netValue,
      acquiredOn: asset.acquiredOn,
      acquiredHow: asset.acquiredHow,
      state: asset.state,
    };
  });
  return { items, asOf, totals: assetTotals(items.filter((item) => item.state !== 'disposed')) };
}
