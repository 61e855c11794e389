import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { isAdminOf } from './policy.ts';
import { placeOfUnit } from './collaborators.ts';
import { accessOf, runCaseAction, type ActionOptions } from './transition-case.ts';

/**
 * 指定网格: an admin assigns a case to a grid by hand — a report outside every grid waits in the
 * community queue for exactly this — or corrects the grid a point fell in.
 */
export async function assignCaseGrid(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'assign-grid'>,
  options: ActionOptions = {},
): Promise<Case> {
  // Looked up before the transaction: the area service may read the database, and on PGlite the
  // transaction holds the only connection.
  const place = await placeOfUnit(app, input.gridId);
  return runCaseAction(
    app,
    actor,
    caseId,
    'assign-grid',
    { ...options, expectedVersion: input.expectedVersion },
    ({ row }) => {
      const isGrid = place?.gridId === input.gridId;
      if (!place || !isGrid || place.streetId !== row.street_id) {
        throw errors.unprocessable(
          'unknown_grid',
          { zh: '所选网格不存在或不在本街道', en: 'That grid does not exist or is not in this street' },
          { gridId: input.gridId },
        );
      }
      const moved = {
        ...row,
        grid_id: place.gridId,
        community_id: place.communityId,
        unit_path: place.unitPath,
      };
      if (!isAdminOf(actor, accessOf(moved))) {
        throw errors.forbidden({ gridId: input.gridId });
      }
      return {
        changes: { grid_id: place.gridId, community_id: place.communityId, unit_path: place.unitPath },
        details: { gridId: place.gridId, fromGridId: row.grid_id },
      };
    },
  );
}
