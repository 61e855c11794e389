import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { staffNotices, stageOwners } from './notices.ts';
import { runCaseAction, type ActionOptions } from './transition-case.ts';

/**
 * 催办: an admin urges the people answerable for the case's current stage (the scheduler does the
 * same on its own before each deadline).
 */
export function remindCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'remind'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(app, actor, caseId, 'remind', options, ({ trx, at }) => ({
    changes: { reminded_at: at },
    details: input.note ? { note: input.note } : {},
    notifications: async (row) => staffNotices(trx, await stageOwners(trx, row), row, 'staff.reminder', at),
  }));
}
