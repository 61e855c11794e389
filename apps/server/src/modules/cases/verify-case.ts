import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { staffNotices, stageOwners } from './notices.ts';
import { reworkChanges, runCaseAction, type ActionOptions } from './transition-case.ts';

/**
 * 核查: the grid worker (or an admin) checks the result on site against the category's closure
 * standard. Passed: the follow-up window opens. Failed: back to the organisation for rework (返工).
 */
export function verifyCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'verify'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'verify',
    { ...options, expectedVersion: input.expectedVersion },
    ({ trx, row, at }) => {
      const details = { passed: input.passed, ...(input.note ? { note: input.note } : {}) };
      const photos = { ids: input.photoIds ?? [], stage: 'verify' as const };
      if (input.passed) return { outcome: 'pass', changes: { verified_at: at }, details, photos };
      return {
        outcome: 'fail',
        changes: reworkChanges(row, at),
        details,
        photos,
        reporterNotice: 'rework',
        notifications: async (updated) =>
          staffNotices(trx, await stageOwners(trx, updated), updated, 'staff.rework_failed_check', at),
      };
    },
  );
}
