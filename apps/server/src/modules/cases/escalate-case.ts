import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { staffNotices, unitAdmins } from './notices.ts';
import { escalationTarget } from './policy.ts';
import type { CaseRow } from './repository.ts';
import { accessOf, runCaseAction, type ActionEffect, type ActionOptions } from './transition-case.ts';
import type { Db } from '../../db/database.ts';

/** 督办: an admin escalates a case to the level above (grid → community → street), whose admins are notified. */
export function escalateCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'escalate'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(app, actor, caseId, 'escalate', options, ({ trx, row, at }) =>
    // The policy lets people escalate only while there is a level above.
    escalationEffect(trx, row, at, escalationTarget(accessOf(row))!, { reason: input.reason }),
  );
}

/** One step up the escalation ladder to `target`, for a person's 督办 and the scheduler's alike. */
export function escalationEffect(
  trx: Db,
  row: CaseRow,
  at: Date,
  target: string,
  details: Record<string, unknown>,
): ActionEffect {
  return {
    changes: { escalation_level: row.escalation_level + 1, escalated_to_unit_id: target },
    details: { ...details, toUnitId: target, level: row.escalation_level + 1 },
    notifications: async (updated) =>
      staffNotices(trx, await unitAdmins(trx, updated, target), updated, 'staff.escalated', at),
  };
}
