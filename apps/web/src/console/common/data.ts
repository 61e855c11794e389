import type { CategoryDictionary, Me, Organisation, UnitTreeNode } from '@minqing/contract';
import { api, query } from '../../shared/api.ts';
import { roleUnits } from '../shell/session.tsx';

/** Shared reads several pages need, cached for the session (dictionaries change rarely). */
const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

export function forgetCached(prefix: string): void {
  for (const key of cache.keys()) if (key.startsWith(prefix)) cache.delete(key);
}

export function loadCategories(): Promise<CategoryDictionary> {
  return cached('categories', () => api.get<CategoryDictionary>('/api/categories'));
}

/** The area trees (street → community → grid) under the units where the person holds a role. */
export function loadAreaTrees(me: Me): Promise<UnitTreeNode[]> {
  const units = roleUnits(me).filter((unit) =>
    ['street', 'community', 'grid', 'county', 'city', 'province'].includes(unit.kind),
  );
  // A unit inside another role unit's tree is already in that tree.
  return cached(`areas:${units.map((u) => u.id).join(',')}`, async () => {
    const trees = await Promise.all(
      units.map((unit) =>
        api
          .get<{ root: UnitTreeNode }>(
            `/api/units/${unit.id}/tree${query({ depth: unit.kind === 'street' ? 2 : 1 })}`,
          )
          .then((t) => t.root),
      ),
    );
    const ids = new Set<string>();
    const collect = (node: UnitTreeNode) => {
      node.children.forEach((child) => {
        ids.add(child.id);
        collect(child);
      });
    };
    trees.forEach(collect);
    return trees.filter((tree) => !ids.has(tree.id)).map(pruneBelowGrid);
  });
}

function pruneBelowGrid(node: UnitTreeNode): UnitTreeNode {
  return {
    ...node,
    children:
      node.kind === 'grid'
        ? []
        : node.children.filter((c) => ['community', 'grid'].includes(c.kind)).map(pruneBelowGrid),
  };
}

/** The teams of a unit and below that take dispatched cases. */
export function loadTeams(unitId: string): Promise<Organisation[]> {
  return cached(`teams:${unitId}`, async () => {
    const list = await api.get<{ items: Organisation[] }>(
      `/api/organisations${query({ unitId, subtree: true })}`,
    );
    return list.items.filter((org) =>
      [
        'mediation_team',
        'volunteer_team',
        'property_company',
        'sanitation_team',
        'department',
        'committee',
        'other',
      ].includes(org.kind),
    );
  });
}
