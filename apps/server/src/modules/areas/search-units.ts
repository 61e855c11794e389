import { PUBLIC_UNIT_KINDS, type UnitSearchQuery, type UnitSummary } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { scopePaths, STAFF_ROLES, type Actor } from '../../policy/index.ts';
import { presentUnitSummary } from './present.ts';
import { searchUnits as searchUnitRows } from './repository.ts';

/**
 * Finds active units by part of the name or the start of the code: streets, communities and grids
 * for everyone; compounds, buildings and households only in the caller's staff scope.
 */
export async function searchUnits(
  db: Db,
  query: UnitSearchQuery & { underPath?: string | undefined },
  actor: Actor | null,
): Promise<UnitSummary[]> {
  const rows = await searchUnitRows(db, {
    text: query.q,
    kind: query.kind,
    underPath: query.underPath,
    publicKinds: PUBLIC_UNIT_KINDS,
    scopePaths: scopePaths(actor, STAFF_ROLES),
    limit: query.limit,
  });
  return rows.map((row) => presentUnitSummary(row, actor));
}
