import { ZEndPatrolPlan, type PatrolPlan } from '@minqing/contract';
import type { z } from 'zod';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { localDayString } from '../calendar/working-time.ts';
import { supervisingRole } from './create-patrol-plan.ts';
import { patrolErrors } from './errors.ts';
import { appendPlanEntry } from './patrol-entries.ts';
import { canReadPlans, mayManagePlans } from './policy.ts';
import { presentPlan } from './present.ts';
import { findPlan, lockPlan, updatePlan } from './repository.ts';
import { addDays } from './schedule.ts';

/**
 * Ends a grid's plan after `lastDay` (default today). From yesterday on at the earliest — ending it
 * yesterday takes today's windows off — so that the rate of days already settled never changes.
 */
export async function endPatrolPlan(
  app: App,
  actor: Actor,
  planId: string,
  input: z.input<typeof ZEndPatrolPlan>,
  now = new Date(),
): Promise<PatrolPlan> {
  const body = ZEndPatrolPlan.parse(input);
  const today = localDayString(now.getTime());
  await inTransaction(app.db, async (trx) => {
    const plan = await lockPlan(trx, planId);
    if (!plan || !canReadPlans(actor, plan.unit_path)) throw patrolErrors.planNotFound();
    if (!mayManagePlans(actor, plan.unit_path)) throw errors.forbidden();
    if (body.expectedVersion !== undefined && body.expectedVersion !== plan.version) {
      throw errors.staleVersion(plan.version);
    }
    const requested = body.lastDay ?? today;
    if (requested < addDays(today, -1)) throw patrolErrors.planInPast();
    // A plan that has not begun by then is withdrawn: it ends the day before its first day.
    const lastDay = requested < plan.valid_from ? addDays(plan.valid_from, -1) : requested;
    if (plan.valid_to !== null && plan.valid_to <= lastDay) throw patrolErrors.planAlreadyEnded();
    const changes = { valid_to: lastDay, version: plan.version + 1 };
    await updatePlan(trx, plan.id, changes);
    await appendPlanEntry(trx, {
      planId: plan.id,
      streetId: plan.street_id,
      action: lastDay < plan.valid_from ? 'withdraw' : 'end',
      actorId: actor.userId,
      actorRole: supervisingRole(actor, plan.unit_path),
      at: now,
      changes,
    });
  });
  return presentPlan((await findPlan(app.db, planId))!, actor, today);
}
