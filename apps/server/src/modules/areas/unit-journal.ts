/**
 * Unit changes in the journal (record type 'unit'). Following docs/architecture.md, `payload.set`
 * holds the changed columns of `units`; folding the sets of a unit's entries gives these columns of
 * its row. A unit created outside the journal (the demo seed, an old install) gets its full row in
 * the first entry, so its chain still folds to the whole projection.
 */
import type { Db } from '../../db/database.ts';
import { appendEntry, readChainHead } from '../journal/append-entry.ts';
import type { UnitRecord } from './repository.ts';

export const UNIT_RECORD_TYPE = 'unit';

/** The columns of `units` that unit entries project (timestamps and derived bbox/centroid aside). */
export const UNIT_PROJECTED_COLUMNS = [
  'parent_id',
  'street_id',
  'kind',
  'code',
  'name',
  'path',
  'depth',
  'geometry',
  'attrs',
  'is_active',
  'version',
] as const;
type ProjectedColumn = (typeof UNIT_PROJECTED_COLUMNS)[number];

export function unitProjection(unit: UnitRecord): Record<ProjectedColumn, unknown> {
  return {
    parent_id: unit.parentId,
    street_id: unit.streetId,
    kind: unit.kind,
    code: unit.code,
    name: unit.name,
    path: unit.path,
    depth: unit.depth,
    geometry: unit.geometry,
    attrs: unit.attrs,
    is_active: unit.isActive,
    version: unit.version,
  };
}

export interface UnitEvent {
  action: 'create' | 'update' | 'deactivate' | 'activate' | 'import';
  /** The unit as it is after the change. */
  unit: UnitRecord;
  /** The projected columns the change touched (the full row for a creation). */
  changed: readonly ProjectedColumn[];
  actorId: string | null;
  actorRole: string | null;
  at: Date;
  note?: Record<string, unknown>;
}

/** Appends the event to the unit's chain in the caller's transaction; units above street level have no chain. */
export async function journalUnitChange(trx: Db, event: UnitEvent): Promise<void> {
  const streetId = event.unit.streetId;
  if (!streetId) return;
  const head = await readChainHead(trx, UNIT_RECORD_TYPE, event.unit.id);
  const projection = unitProjection(event.unit);
  const columns = head.seq === 0 ? UNIT_PROJECTED_COLUMNS : event.changed;
  const set = Object.fromEntries(columns.map((column) => [column, projection[column]]));
  await appendEntry(
    trx,
    {
      streetId,
      recordType: UNIT_RECORD_TYPE,
      recordId: event.unit.id,
      action: event.action,
      actorId: event.actorId,
      actorRole: event.actorRole,
      at: event.at,
      payload: { set, ...(event.note ? { note: event.note } : {}) },
    },
    head,
  );
}
