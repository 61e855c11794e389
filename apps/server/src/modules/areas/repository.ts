import type { Db } from '../../db/database.ts';
import { bboxOf, centroidOf, type UnitGeometry } from './geometry.ts';

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
  const box = unit.geometry ? bboxOf(unit.geometry) : null;
  const centre = unit.geometry ? centroidOf(unit.geometry) : null;
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
      geometry: unit.geometry ? JSON.stringify(unit.geometry) : null,
      centroid_lng: centre?.lng ?? null,
      centroid_lat: centre?.lat ?? null,
      min_lng: box?.minLng ?? null,
      min_lat: box?.minLat ?? null,
      max_lng: box?.maxLng ?? null,
      max_lat: box?.maxLat ?? null,
      attrs: JSON.stringify(unit.attrs ?? {}),
    })
    .execute();
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
