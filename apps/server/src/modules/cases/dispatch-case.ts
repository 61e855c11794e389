import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { staffNotices } from './notices.ts';
import { isAdminOf } from './policy.ts';
import { organisationOf } from './collaborators.ts';
import { canTakeAssignment, usersWithRole } from './repository.ts';
import { accessOf, runCaseAction, type ActionOptions } from './transition-case.ts';

/**
 * 派遣: sends an accepted case to the responsible organisation (by default the one routing chose at
 * intake), optionally to one of its handlers or to a grid worker of the case's grid (即报即办). The
 * handling time limit starts now; the organisation's handlers are notified.
 */
export function dispatchCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'dispatch'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'dispatch',
    { ...options, expectedVersion: input.expectedVersion },
    async ({ trx, row, at }) => {
      // 即报即办: a grid worker who is not an admin dispatches only to themselves, to the routed organisation.
      if (
        !isAdminOf(actor, accessOf(row)) &&
        (input.assigneeId !== actor.userId || (input.orgId !== undefined && input.orgId !== row.org_id))
      ) {
        throw errors.forbidden({ action: 'dispatch', onlySelf: true });
      }
      const orgId = input.orgId ?? row.org_id;
      if (!orgId) {
        throw errors.unprocessable('org_required', {
          zh: '请选择负责处置的单位',
          en: 'Choose the organisation responsible for handling the case',
        });
      }
      const org = await organisationOf(trx, orgId);
      if (!org?.isActive || org.streetId !== row.street_id) {
        throw errors.unprocessable(
          'unknown_org',
          {
            zh: '所选处置单位不存在或不属于本街道',
            en: 'That organisation does not exist or is not in this street',
          },
          { orgId },
        );
      }
      if (
        input.assigneeId &&
        !(await canTakeAssignment(trx, input.assigneeId, orgId, row.grid_id ? row.unit_path : null))
      ) {
        throw errors.unprocessable(
          'assignee_not_eligible',
          {
            zh: '指定的处置人不是该单位的处置人员，也不是本网格的网格员',
            en: "The assignee is neither a handler of the organisation nor a grid worker of the case's grid",
          },
          { assigneeId: input.assigneeId },
        );
      }
      return {
        changes: { org_id: orgId, assignee_id: input.assigneeId ?? null, dispatched_at: at },
        details: { orgId, assigneeId: input.assigneeId ?? null, ...(input.note ? { note: input.note } : {}) },
        notifications: async (updated) => {
          const handlers = await usersWithRole(trx, 'handler', { orgId });
          const to = input.assigneeId ? [...handlers, input.assigneeId] : handlers;
          return staffNotices(trx, to, updated, 'handler.dispatched', at);
        },
      };
    },
  );
}
