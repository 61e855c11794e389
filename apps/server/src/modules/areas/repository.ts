import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { UnitsTable } from '../../db/schema.generated.ts';
import { bboxOf, centroidOf, type UnitGeometry } from './geometry.ts';
import type { AreaUnit } from './grid-index.ts';
import { announceUnitsChanged } from './unit-changes.ts';

export const UNIT_KINDS = [
  'province',
  'city',
  'county',
  'street',
  'community',
  'grid',
  'compound',
  'building',
  'household',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface NewUnit {
  id?: string;
  parentId: string | null;
  kind: UnitKind;
  code: string;
  name: string;
  geometry?: UnitGeometry | null;
  attrs?: Record<string, unknown>;
}

export interface UnitRow {
  id: string;
  parentId: string | null;
  streetId: string | null;
  kind: UnitKind;
  code: string;
  name: string;
  path: string;
  depth: number;
}

/** A unit as the areas module works with it: every column, geometry and attributes parsed. */
export interface UnitRecord extends UnitRow {
  geometry: UnitGeometry | null;
  attrs: Record<string, unknown>;
  centroid: { lng: number; lat: number } | null;
  bbox: [number, number, number, number] | null;
  isActive: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

function derivedGeometryColumns(geometry: UnitGeometry | null | undefined) {
  const box = geometry ? bboxOf(geometry) : null;
  const centre = geometry ? centroidOf(geometry) : null;
  return {
    geometry: geometry ? JSON.stringify(geometry) : null,
    centroid_lng: centre?.lng ?? null,
    centroid_lat: centre?.lat ?? null,
    min_lng: box?.minLng ?? null,
    min_lat: box?.minLat ?? null,
    max_lng: box?.maxLng ?? null,
    max_lat: box?.maxLat ?? null,
  };
}

/** Inserts a unit under its parent, deriving its path, street, bounding box and centroid. */
export async function insertUnit(db: Db, unit: NewUnit): Promise<UnitRow> {
  const id = unit.id ?? crypto.randomUUID();
  const parent = unit.parentId
    ? await db
        .selectFrom('units')
        .select(['path', 'depth', 'street_id'])
        .where('id', '=', unit.parentId)
        .executeTakeFirstOrThrow()
    : null;
  const path = `${parent?.path ?? '/'}${id}/`;
  const depth = (parent?.depth ?? -1) + 1;
  const streetId = unit.kind === 'street' ? id : (parent?.street_id ?? null);
  await db
    .insertInto('units')
    .values({
      id,
      parent_id: unit.parentId,
      street_id: streetId,
      kind: unit.kind,
      code: unit.code,
      name: unit.name,
      path,
      depth,
      ...derivedGeometryColumns(unit.geometry),
      attrs: JSON.stringify(unit.attrs ?? {}),
    })
    .execute();
  announceUnitsChanged([id]);
  return {
    id,
    parentId: unit.parentId,
    streetId,
    kind: unit.kind,
    code: unit.code,
    name: unit.name,
    path,
    depth,
  };
}

export interface UnitChanges {
  code?: string;
  name?: string;
  geometry?: UnitGeometry | null;
  attrs?: Record<string, unknown>;
  isActive?: boolean;
}

/** Applies changes and moves the version on by one; the caller holds the row lock. */
export async function updateUnitRow(
  trx: Db,
  id: string,
  changes: UnitChanges,
  at: Date,
): Promise<{ version: number }> {
  const row = await trx
    .updateTable('units')
    .set({
      ...(changes.code !== undefined ? { code: changes.code } : {}),
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.geometry !== undefined ? derivedGeometryColumns(changes.geometry) : {}),
      ...(changes.attrs !== undefined ? { attrs: JSON.stringify(changes.attrs) } : {}),
      ...(changes.isActive !== undefined ? { is_active: changes.isActive } : {}),
      updated_at: at,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow();
  announceUnitsChanged([id]);
  return row;
}

type UnitSelectable = Selectable<UnitsTable>;

export function toUnitRecord(row: UnitSelectable): UnitRecord {
  const hasBox = row.min_lng !== null && row.min_lat !== null && row.max_lng !== null && row.max_lat !== null;
  return {
    id: row.id,
    parentId: row.parent_id,
    streetId: row.street_id,
    kind: row.kind as UnitKind,
    code: row.code,
    name: row.name,
    path: row.path,
    depth: row.depth,
    geometry: (row.geometry as UnitGeometry | null) ?? null,
    attrs: (row.attrs ?? {}) as Record<string, unknown>,
    centroid:
      row.centroid_lng !== null && row.centroid_lat !== null
        ? { lng: row.centroid_lng, lat: row.centroid_lat }
        : null,
    bbox: hasBox ? [row.min_lng!, row.min_lat!, row.max_lng!, row.max_lat!] : null,
    isActive: row.is_active,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findUnit(db: Db, id: string): Promise<UnitRecord | undefined> {
  const row = await db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUnitRecord(row) : undefined;
}

/** Reads a unit and locks its row until the transaction ends: edits of one unit serialise. */
export async function lockUnit(trx: Db, id: string): Promise<UnitRecord | undefined> {
  const row = await trx.selectFrom('units').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toUnitRecord(row) : undefined;
}

export async function findUnitByCode(db: Db, code: string): Promise<UnitRecord | undefined> {
  const row = await db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toUnitRecord(row) : undefined;
}

export async function findUnitsByCodes(db: Db, codes: readonly string[]): Promise<UnitRecord[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('units').selectAll().where('code', 'in', codes).execute();
  return rows.map(toUnitRecord);
}

export async function findUnitsByIds(db: Db, ids: readonly string[]): Promise<UnitRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('units').selectAll().where('id', 'in', ids).execute();
  return rows.map(toUnitRecord);
}

/** The active grids under a community, with their outlines (for the overlap check). */
export async function activeGridsOf(db: Db, communityIds: readonly string[]): Promise<UnitRecord[]> {
  if (communityIds.length === 0) return [];
  const rows = await db
    .selectFrom('units')
    .selectAll()
    .where('parent_id', 'in', communityIds)
    .where('kind', '=', 'grid')
    .where('is_active', '=', true)
    .orderBy('code')
    .execute();
  return rows.map(toUnitRecord);
}

export async function countActiveChildren(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('parent_id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface ChildQuery {
  kind?: UnitKind | undefined;
  includeInactive: boolean;
  afterCode?: string | undefined;
  limit: number;
}

/** Children of a unit (or the top-level units when parentId is null), in code order. */
export async function listChildren(
  db: Db,
  parentId: string | null,
  query: ChildQuery,
): Promise<UnitRecord[]> {
  let select = db
    .selectFrom('units')
    .selectAll()
    .where('parent_id', parentId === null ? 'is' : '=', parentId)
    .orderBy('code')
    .limit(query.limit);
  if (query.kind) select = select.where('kind', '=', query.kind);
  if (!query.includeInactive) select = select.where('is_active', '=', true);
  if (query.afterCode !== undefined) select = select.where('code', '>', query.afterCode);
  return (await select.execute()).map(toUnitRecord);
}

/** Counts children by kind, so a reader's count can leave out the kinds they may not see. */
export async function countChildrenByKind(
  db: Db,
  parentId: string,
  includeInactive: boolean,
): Promise<Map<UnitKind, number>> {
  let select = db
    .selectFrom('units')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('count')])
    .where('parent_id', '=', parentId)
    .groupBy('kind');
  if (!includeInactive) select = select.where('is_active', '=', true);
  const rows = await select.execute();
  return new Map(rows.map((row) => [row.kind as UnitKind, Number(row.count)]));
}

/** The unit's descendants down to `maxDepth` (absolute), shallowest first, then by code. */
export async function listDescendants(
  db: Db,
  path: string,
  options: {
    maxDepth: number;
    kinds?: readonly UnitKind[];
    includeInactive: boolean;
    limit: number;
    withGeometry: boolean;
  },
): Promise<UnitRecord[]> {
  let select = db
    .selectFrom('units')
    .selectAll()
    .where('path', 'like', `${escapeLike(path)}%`)
    .where('path', '!=', path)
    .where('depth', '<=', options.maxDepth)
    .orderBy('depth')
    .orderBy('code')
    .limit(options.limit);
  if (options.kinds) select = select.where('kind', 'in', options.kinds);
  if (!options.includeInactive) select = select.where('is_active', '=', true);
  if (options.withGeometry) select = select.where('geometry', 'is not', null);
  return (await select.execute()).map(toUnitRecord);
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface SearchQuery {
  text: string;
  kind?: UnitKind | undefined;
  underPath?: string | undefined;
  /** Kinds anyone may find, and the subtrees where the caller may also find the rest. */
  publicKinds: readonly UnitKind[];
  scopePaths: readonly string[];
  limit: number;
}

/** Active units whose name contains the text or whose code starts with it, visible to the caller. */
export async function searchUnits(db: Db, query: SearchQuery): Promise<UnitRecord[]> {
  const pattern = escapeLike(query.text);
  let select = db
    .selectFrom('units')
    .selectAll()
    .where('is_active', '=', true)
    .where((eb) => eb.or([eb('name', 'ilike', `%${pattern}%`), eb('code', 'like', `${pattern}%`)]))
    .where((eb) =>
      eb.or([
        eb('kind', 'in', query.publicKinds),
        ...query.scopePaths.map((scope) => eb('path', 'like', `${escapeLike(scope)}%`)),
      ]),
    )
    // Exact code first, then the shallowest (a street before its households), then by code.
    .orderBy(sql`(code = ${query.text})`, 'desc')
    .orderBy('depth')
    .orderBy('code')
    .limit(query.limit);
  if (query.kind) select = select.where('kind', '=', query.kind);
  if (query.underPath) select = select.where('path', 'like', `${escapeLike(query.underPath)}%`);
  return (await select.execute()).map(toUnitRecord);
}

const AREA_COLUMNS = [
  'id',
  'parent_id',
  'street_id',
  'kind',
  'code',
  'name',
  'path',
  'depth',
  'is_active',
  'geometry',
] as const;

function toAreaUnit(row: Pick<UnitSelectable, (typeof AREA_COLUMNS)[number]>): AreaUnit {
  return {
    id: row.id,
    parentId: row.parent_id,
    streetId: row.street_id,
    kind: row.kind as UnitKind,
    code: row.code,
    name: row.name,
    path: row.path,
    depth: row.depth,
    isActive: row.is_active,
    geometry: (row.geometry as UnitGeometry | null) ?? null,
  };
}

/** Every unit from the province down to the grid: what the in-memory grid index holds. */
export async function loadAreaUnits(db: Db, kinds: readonly UnitKind[]): Promise<AreaUnit[]> {
  const rows = await db.selectFrom('units').select(AREA_COLUMNS).where('kind', 'in', kinds).execute();
  return rows.map(toAreaUnit);
}

export async function loadAreaUnitsByIds(db: Db, ids: readonly string[]): Promise<AreaUnit[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('units').select(AREA_COLUMNS).where('id', 'in', ids).execute();
  return rows.map(toAreaUnit);
}
