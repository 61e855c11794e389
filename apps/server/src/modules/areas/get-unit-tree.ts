import type { UnitTreeNode } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { canReadUnit, canSeeInactive } from './policy.ts';
import { listDescendants, type UnitRecord } from './repository.ts';

/** One answer carries at most this many nodes; a bigger tree is read a level at a time. */
export const MAX_TREE_NODES = 5_000;

/** The unit and its descendants `depth` levels down, nested, without outlines; what the caller may see. */
export async function getUnitTree(
  db: Db,
  unit: UnitRecord,
  depth: number,
  actor: Actor | null,
): Promise<{ root: UnitTreeNode; truncated: boolean }> {
  const rows = await listDescendants(db, unit.path, {
    maxDepth: unit.depth + depth,
    includeInactive: canSeeInactive(actor, unit),
    limit: MAX_TREE_NODES + 1,
    withGeometry: false,
  });
  const truncated = rows.length > MAX_TREE_NODES;
  const node = (row: UnitRecord): UnitTreeNode => ({
    id: row.id,
    kind: row.kind,
    code: row.code,
    name: row.name,
    isActive: row.isActive,
    children: [],
  });
  const root = node(unit);
  const nodes = new Map<string, UnitTreeNode>([[unit.id, root]]);
  // Rows come shallowest first, so a parent is placed before its children; an unseen parent hides its subtree.
  for (const row of rows.slice(0, MAX_TREE_NODES)) {
    const parent = row.parentId ? nodes.get(row.parentId) : undefined;
    if (!parent || !canReadUnit(actor, row)) continue;
    const child = node(row);
    parent.children.push(child);
    nodes.set(row.id, child);
  }
  return { root, truncated };
}
