import type { UnitChildrenQuery } from '@minqing/contract';
import type { z } from 'zod';
import type { ZUnitList } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { canReadUnit, canSeeInactive, type UnitRef } from './policy.ts';
import { decodeCursor, encodeCursor, presentUnitSummary } from './present.ts';
import { listChildren } from './repository.ts';

/**
 * The children of a unit (or, with parent null, the top-level units) in code order, one page at a
 * time, leaving out what the caller may not see. Deactivated units only for staff in scope who ask.
 */
export async function listChildUnits(
  db: Db,
  parent: UnitRef | null,
  query: UnitChildrenQuery,
  actor: Actor | null,
): Promise<z.infer<typeof ZUnitList>> {
  const includeInactive = query.includeInactive && (parent ? canSeeInactive(actor, parent) : false);
  const rows = await listChildren(db, parent?.id ?? null, {
    kind: query.kind,
    includeInactive,
    afterCode: decodeCursor(query.cursor),
    limit: query.limit,
  });
  const last = rows.at(-1);
  return {
    items: rows.filter((row) => canReadUnit(actor, row)).map((row) => presentUnitSummary(row, actor)),
    nextCursor: rows.length === query.limit && last ? encodeCursor(last.code) : null,
  };
}
