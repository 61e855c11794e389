import type { UnitDetail, UnitSummary } from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import type { UnitRecord } from './repository.ts';
import { unitActions } from './policy.ts';

export function presentUnitSummary(unit: UnitRecord, actor: Actor | null): UnitSummary {
  return {
    id: unit.id,
    parentId: unit.parentId,
    streetId: unit.streetId,
    kind: unit.kind,
    code: unit.code,
    name: unit.name,
    depth: unit.depth,
    isActive: unit.isActive,
    version: unit.version,
    centroid: unit.centroid,
    bbox: unit.bbox,
    allowedActions: unitActions(actor, unit),
  };
}

export function presentUnitDetail(
  unit: UnitRecord,
  actor: Actor | null,
  extra: { ancestors: UnitRecord[]; childCount: number },
): UnitDetail {
  return {
    ...presentUnitSummary(unit, actor),
    geometry: unit.geometry,
    attrs: unit.attrs,
    ancestors: extra.ancestors.map((a) => ({ id: a.id, kind: a.kind, code: a.code, name: a.name })),
    childCount: extra.childCount,
    createdAt: unit.createdAt.toISOString(),
    updatedAt: unit.updatedAt.toISOString(),
  };
}

/** Page cursors are opaque to clients: the last code seen, base64url-encoded. */
export function encodeCursor(code: string): string {
  return Buffer.from(code, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
}
