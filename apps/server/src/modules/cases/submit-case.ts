import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { staffNotices, stageOwners } from './notices.ts';
import { runCaseAction, type ActionOptions } from './transition-case.ts';

/**
 * 提交处置结果: the result and photos of the work. The case waits for an on-site check by the grid
 * worker (or an admin), who must be someone other than the person submitting.
 */
export function submitCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'submit'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'submit',
    { ...options, expectedVersion: input.expectedVersion },
    ({ trx, at }) => ({
      changes: { handled_at: at, handled_by: actor.userId, result_summary: input.result },
      details: { result: input.result },
      photos: { ids: input.photoIds ?? [], stage: 'after' },
      reporterNotice: 'handled',
      notifications: async (updated) =>
        staffNotices(trx, await stageOwners(trx, updated), updated, 'staff.verify_due', at),
    }),
  );
}
