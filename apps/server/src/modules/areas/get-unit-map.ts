import type { UnitKind } from '@minqing/contract';
import type { z } from 'zod';
import type { ZUnitFeatureCollection } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { MAX_TREE_NODES } from './get-unit-tree.ts';
import { canReadUnit } from './policy.ts';
import { listDescendants, type UnitRecord } from './repository.ts';

const MAX_DEPTH_BELOW = 8;

/**
 * The outlines of a unit and its descendants of the given kinds, as a GeoJSON FeatureCollection
 * with only id, kind, code, name and parent: what a map draws, nothing else.
 */
export async function getUnitMap(
  db: Db,
  unit: UnitRecord,
  kinds: readonly UnitKind[],
  actor: Actor | null,
): Promise<z.infer<typeof ZUnitFeatureCollection>> {
  const rows = await listDescendants(db, unit.path, {
    maxDepth: unit.depth + MAX_DEPTH_BELOW,
    kinds,
    includeInactive: false,
    limit: MAX_TREE_NODES + 1,
    withGeometry: true,
  });
  const truncated = rows.length > MAX_TREE_NODES;
  const all = [
    ...(kinds.includes(unit.kind) && unit.geometry ? [unit] : []),
    ...rows.slice(0, MAX_TREE_NODES),
  ];
  return {
    type: 'FeatureCollection',
    features: all
      .filter(
        (row): row is UnitRecord & { geometry: NonNullable<UnitRecord['geometry']> } =>
          row.geometry !== null && canReadUnit(actor, row),
      )
      .map((row) => ({
        type: 'Feature' as const,
        id: row.id,
        geometry: row.geometry,
        properties: { kind: row.kind, code: row.code, name: row.name, parentId: row.parentId },
      })),
    truncated,
  };
}
