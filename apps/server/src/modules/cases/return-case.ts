import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { staffNotices, stageOwners } from './notices.ts';
import { runCaseAction, type ActionOptions } from './transition-case.ts';

/**
 * 退回: the organisation hands a wrongly dispatched case back to the dispatcher, with the reason. The
 * case leaves the organisation (it no longer sees it) and waits for a new dispatch.
 */
export function returnCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'return'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'return',
    { ...options, expectedVersion: input.expectedVersion },
    ({ trx, row, at }) => ({
      changes: { org_id: null, assignee_id: null, dispatched_at: null },
      details: { reason: input.reason, returnedByOrgId: row.org_id },
      notifications: async (updated) =>
        staffNotices(trx, await stageOwners(trx, updated), updated, 'staff.returned', at),
    }),
  );
}
