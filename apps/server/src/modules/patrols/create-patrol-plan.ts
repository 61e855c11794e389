import { ZCreatePatrolPlan, type CreatePatrolPlan, type PatrolPlan } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import { grantsCovering, type Actor } from '../../policy/index.ts';
import { localDayString } from '../calendar/working-time.ts';
import { patrolErrors } from './errors.ts';
import { appendPlanEntry, withoutNulls } from './patrol-entries.ts';
import { canReadPlans, mayManagePlans, SUPERVISOR_ROLES } from './policy.ts';
import { presentPlan } from './present.ts';
import { findPlan, insertPlan, lockGridPlansFrom, updatePlan } from './repository.ts';
import { addDays } from './schedule.ts';

/** The role under which a supervisor acts on a grid, for the journal. */
export function supervisingRole(actor: Actor, path: string): string {
  return grantsCovering(actor, SUPERVISOR_ROLES, path).some((g) => g.role === 'community_admin')
    ? 'community_admin'
    : 'street_admin';
}

/** The grid of a plan or patrol: an active unit of kind grid, or 422. */
export async function activeGrid(app: App, gridId: string) {
  const grid = await app.areas.getUnit(gridId);
  if (!grid?.isActive || grid.kind !== 'grid' || !grid.streetId) throw patrolErrors.unknownGrid(gridId);
  return { ...grid, streetId: grid.streetId };
}

/**
 * Sets a grid's patrol plan from a day on (today by default). The plan in force then ends the day
 * before; a plan that had not started yet is withdrawn (ended the day before its first day). The past
 * never changes: a plan cannot start before today, so yesterday's 巡查率 stays what it was.
 */
export async function createPatrolPlan(
  app: App,
  actor: Actor,
  input: CreatePatrolPlan,
  now = new Date(),
): Promise<PatrolPlan> {
  const body = ZCreatePatrolPlan.parse(input);
  const grid = await activeGrid(app, body.gridId);
  if (!mayManagePlans(actor, grid.path)) {
    throw canReadPlans(actor, grid.path) ? errors.forbidden() : errors.forbidden({ gridId: grid.id });
  }
  const today = localDayString(now.getTime());
  const validFrom = body.validFrom ?? today;
  if (validFrom < today) throw patrolErrors.planInPast();
  const role = supervisingRole(actor, grid.path);
  const id = crypto.randomUUID();
  const shifts = [...body.shifts].sort((a, b) => a.start.localeCompare(b.start));

  await inTransaction(app.db, async (trx) => {
    for (const plan of await lockGridPlansFrom(trx, grid.id, validFrom)) {
      // In force before the new plan's first day: it ends the day before. Not started yet: withdrawn.
      const validTo = addDays(plan.valid_from < validFrom ? validFrom : plan.valid_from, -1);
      const changes = { valid_to: validTo, version: plan.version + 1 };
      await updatePlan(trx, plan.id, changes);
      await appendPlanEntry(trx, {
        planId: plan.id,
        streetId: plan.street_id,
        action: plan.valid_from < validFrom ? 'end' : 'withdraw',
        actorId: actor.userId,
        actorRole: role,
        at: now,
        changes,
        details: { replacedBy: id },
      });
    }
    const row = {
      id,
      street_id: grid.streetId,
      grid_id: grid.id,
      unit_path: grid.path,
      shifts: JSON.stringify(shifts),
      days: body.days,
      min_minutes: body.minMinutes,
      valid_from: validFrom,
      valid_to: null,
      note: body.note ?? null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await insertPlan(trx, row);
    await appendPlanEntry(trx, {
      planId: id,
      streetId: grid.streetId,
      action: 'create',
      actorId: actor.userId,
      actorRole: role,
      at: now,
      changes: withoutNulls({ ...row, shifts }),
    });
  });
  return presentPlan((await findPlan(app.db, id))!, actor, today);
}
