import type { UnitDetail } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { canSeeInactive, isPublicKind } from './policy.ts';
import { presentUnitDetail } from './present.ts';
import { countChildrenByKind, findUnitsByIds, type UnitRecord } from './repository.ts';

/** One unit with its outline, its ancestors (a breadcrumb) and how many children the caller may see. */
export async function getUnit(db: Db, unit: UnitRecord, actor: Actor | null): Promise<UnitDetail> {
  const ancestorIds = unit.path.split('/').filter((id) => id && id !== unit.id);
  const byId = new Map((await findUnitsByIds(db, ancestorIds)).map((row) => [row.id, row]));
  const ancestors = ancestorIds
    .map((id) => byId.get(id))
    .filter((row): row is UnitRecord => row !== undefined);
  // Staff whose roles cover the unit see all its children; everyone else the public levels only.
  const seesAll = canSeeInactive(actor, unit);
  let childCount = 0;
  for (const [kind, count] of await countChildrenByKind(db, unit.id, seesAll)) {
    if (seesAll || isPublicKind(kind)) childCount += count;
  }
  return presentUnitDetail(unit, actor, { ancestors, childCount });
}
